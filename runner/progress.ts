// What a run is doing, for people: one line rewritten in place on a terminal, timestamped lines every few seconds otherwise.
import { createLogUpdate } from "log-update";
import type { HistoryRecorder } from "../harness/history/recorder.ts";

export interface ProgressSources {
  recorder: HistoryRecorder;
  workloadMs: number;
  /** The fault in place, if any. */
  fault(): string | undefined;
  /** The leader a majority of members last reported, if any. */
  leader(): string | undefined;
}

const terminalMs = 250;
const plainMs = 5000;

export class RunProgress {
  readonly #sources: ProgressSources;
  readonly #tty: boolean;
  readonly #startedMs = performance.now();
  readonly #update: ReturnType<typeof createLogUpdate> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #last = { at: performance.now(), ok: 0, fail: 0, info: 0 };

  constructor(sources: ProgressSources, tty = process.stderr.isTTY === true && (process.stderr.rows ?? 0) > 0) {
    this.#sources = sources;
    this.#tty = tty;
    this.#update = tty ? createLogUpdate(process.stderr) : undefined;
  }

  start(): void {
    this.#timer = setInterval(() => this.#show(), this.#tty ? terminalMs : plainMs);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#update?.done();
  }

  /** The status line: elapsed and remaining time, completions per second by type, the fault in place, the leader. */
  line(): string {
    const now = performance.now();
    const { ok, fail, info } = this.#sources.recorder.completions;
    const seconds = Math.max(0.001, (now - this.#last.at) / 1000);
    const rate = (count: number, before: number): string => ((count - before) / seconds).toFixed(0);
    const elapsed = (now - this.#startedMs) / 1000;
    const remaining = Math.max(0, this.#sources.workloadMs / 1000 - elapsed);
    const line =
      `running ${elapsed.toFixed(0)}s, ${remaining.toFixed(0)}s left | ` +
      `${rate(ok, this.#last.ok)} ok/s ${rate(fail, this.#last.fail)} fail/s ${rate(info, this.#last.info)} info/s | ` +
      `fault: ${this.#sources.fault() ?? "none"} | leader: ${this.#sources.leader() ?? "none agreed"}`;
    this.#last = { at: now, ok, fail, info };
    return line;
  }

  #show(): void {
    const line = this.line();
    if (this.#update) this.#update(`harness: ${line}`);
    else process.stderr.write(`harness: [${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  }
}
