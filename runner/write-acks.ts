// A history recorder that also notes when client writes are acknowledged, so a run can wait for writes to resume after its last heal.
import { isReadOnly } from "../checkers/op-kinds.ts";
import type { HistoryEntry } from "../record/history/entry.ts";
import { HistoryRecorder, type NewEntry } from "../harness/history/recorder.ts";

export class WriteAckRecorder extends HistoryRecorder {
  /** Run-clock nanoseconds of the latest acknowledged client write; -Infinity before the first. */
  lastWriteAck = -Infinity;
  readonly #invocations = new Map<number, HistoryEntry>();

  override record(entry: NewEntry): HistoryEntry {
    const stamped = super.record(entry);
    if (stamped.process === "nemesis") return stamped;
    if (stamped.type === "invoke") {
      this.#invocations.set(stamped.process, stamped);
      return stamped;
    }
    const invoke = this.#invocations.get(stamped.process);
    this.#invocations.delete(stamped.process);
    if (stamped.type === "ok" && invoke && !isReadOnly({ f: invoke.f, invoke })) this.lastWriteAck = stamped.time;
    return stamped;
  }

  /** Resolves once a write was acknowledged after `time` (run-clock ns), or after `budgetMs`; true when one was. */
  async writeAckedAfter(time: number, budgetMs: number): Promise<boolean> {
    const started = Date.now();
    while (this.lastWriteAck <= time) {
      if (Date.now() - started >= budgetMs) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return true;
  }
}
