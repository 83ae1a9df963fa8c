// Streams history entries to history.jsonl as they happen, so a crash keeps everything up to the last line.
import fs from "node:fs";
import type { HistoryEntry } from "../../record/history/entry.ts";
import type { RunClock } from "./clock.ts";

export type NewEntry = Omit<HistoryEntry, "index" | "time">;

export class HistoryRecorder {
  readonly file: string;
  readonly clock: RunClock;
  #fd: number | undefined;
  #next = 0;
  /** Client completions recorded so far, by type, for progress displays. */
  readonly completions = { ok: 0, fail: 0, info: 0 };

  constructor(file: string, clock: RunClock) {
    this.file = file;
    this.clock = clock;
    this.#fd = fs.openSync(file, "a");
  }

  get size(): number {
    return this.#next;
  }

  /**
   * Stamps the entry with the next index and the current time and appends it in one write. Writes
   * are synchronous on purpose: an entry is on disk (in the page cache) before the caller goes on.
   */
  record(entry: NewEntry): HistoryEntry {
    const stamped: HistoryEntry = { index: this.#next++, time: this.clock.now(), ...entry };
    if (entry.process !== "nemesis" && entry.type !== "invoke") this.completions[entry.type]++;
    if (this.#fd !== undefined) fs.writeSync(this.#fd, `${JSON.stringify(stamped)}\n`);
    return stamped;
  }

  close(): void {
    if (this.#fd !== undefined) fs.closeSync(this.#fd);
    this.#fd = undefined;
  }
}
