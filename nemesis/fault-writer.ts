// Writes a fault makes to the cluster, recorded in the run's history like a client's, so the etcd KV model sees every revision.
//
// The etcd KV model counts revisions: a write it never saw would leave a gap no recorded operation
// explains. So a fault's puts are recorded as `put` operations of a process of its own, on keys no
// workload touches. Any error is `info`, even "database space exceeded": etcd may apply a write and
// still answer NOSPACE (see quota-fill.ts), and an uncertain write on an unread key costs the checker
// nothing. Values can be large filler, so the history shows a placeholder naming their size.
import type { Etcd3 } from "etcd3";
import { deadline } from "../harness/clients/etcd-client.ts";
import { errorMessage } from "../harness/clients/outcome.ts";
import type { FaultContext } from "./nemesis.ts";

export type PutOutcome = { ok: true; revision: number } | { ok: false; error: string };

export class FaultWriter {
  readonly #history: FaultContext["history"];
  #process: number | undefined;

  constructor(history: FaultContext["history"]) {
    this.#history = history;
  }

  /** Puts `value` at `key` through `member`'s own port; `shown` is what the history records as the value. */
  async put(member: { name: string; admin: Etcd3 }, key: string, value: Buffer, shown: string, timeoutMs: number): Promise<PutOutcome> {
    const history = this.#history;
    const process = history ? (this.#process ??= history.processIds.next()) : 0;
    const base = { process, f: "put", key, node: member.name, value: shown };
    history?.recorder.record({ ...base, type: "invoke" });
    try {
      const response = await member.admin.kv.put({ key: Buffer.from(key), value }, deadline(timeoutMs));
      const revision = Number(response.header.revision);
      history?.recorder.record({ ...base, type: "ok", revision });
      return { ok: true, revision };
    } catch (error) {
      const message = errorMessage(error);
      history?.recorder.record({ ...base, type: "info", error: message });
      // Jepsen's rule: a process whose operation may still take effect never speaks again.
      this.#process = undefined;
      return { ok: false, error: message };
    }
  }
}

/** A value of `bytes` bytes, and how the history shows it. */
export function filler(bytes: number, label: string): { value: Buffer; shown: string } {
  return { value: Buffer.alloc(bytes, 0x78), shown: `<${label}: ${bytes} bytes>` };
}
