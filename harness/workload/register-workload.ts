// Concurrent reads and writes of a few registers, each client process bound to one member, recorded as history.
import type { Etcd3 } from "etcd3";
import type { StartedCluster } from "../cluster/cluster.ts";
import { deadline } from "../clients/etcd-client.ts";
import { classifyFailure } from "../clients/outcome.ts";
import type { HistoryRecorder } from "../history/recorder.ts";
import type { Random } from "../random.ts";

export type ReadMode = "linearizable" | "serializable";

export interface RegisterWorkloadOptions {
  cluster: StartedCluster;
  recorder: HistoryRecorder;
  random: Random;
  /** Concurrent client processes, spread round-robin over the members. */
  concurrency: number;
  /** Operations per second over all processes. */
  rate: number;
  keys: number;
  readMode: ReadMode;
  /** Deadline of every call. */
  opTimeoutMs: number;
  /** Share of reads among operations. */
  readShare?: number;
}

interface Slot {
  member: string;
  process: number;
  client: Etcd3;
}

export class RegisterWorkload {
  readonly #options: RegisterWorkloadOptions;
  #running = false;
  #loops: Promise<void>[] = [];
  #nextProcess = 0;
  #nextValue = 1;
  readonly #sleepers = new Set<() => void>();

  constructor(options: RegisterWorkloadOptions) {
    this.#options = options;
  }

  start(): void {
    const { cluster, concurrency } = this.#options;
    this.#running = true;
    this.#loops = Array.from({ length: concurrency }, (_, index) => {
      const member = cluster.members[index % cluster.members.length]!.name;
      return this.#loop(this.#openSlot(member), index);
    });
  }

  /** Stops issuing operations and waits for those in flight (each bounded by its deadline). */
  async stop(): Promise<void> {
    this.#running = false;
    for (const wake of this.#sleepers) wake();
    await Promise.all(this.#loops);
  }

  #openSlot(member: string): Slot {
    return { member, process: this.#nextProcess++, client: this.#options.cluster.client(member) };
  }

  async #loop(initial: Slot, index: number): Promise<void> {
    const { concurrency, rate } = this.#options;
    const intervalMs = (1000 * concurrency) / rate;
    let slot = initial;
    // Stagger the processes so the rate is smooth rather than in bursts.
    let next = performance.now() + (intervalMs * index) / concurrency;
    while (this.#running) {
      await this.#sleepUntil(next);
      if (!this.#running) break;
      next = Math.max(next + intervalMs, performance.now());
      const outcome = await this.#operate(slot);
      if (outcome === "info") {
        // The process that got an unknown outcome never speaks again; a fresh one takes its place.
        slot.client.close();
        slot = this.#openSlot(slot.member);
      }
    }
    slot.client.close();
  }

  async #operate(slot: Slot): Promise<"ok" | "fail" | "info"> {
    const { recorder, random, keys, readMode, opTimeoutMs } = this.#options;
    const key = `r${random.below(keys)}`;
    const isRead = random.next() < (this.#options.readShare ?? 0.5);
    const base = { process: slot.process, key, node: slot.member };
    if (isRead) {
      recorder.record({ ...base, type: "invoke", f: "read" });
      try {
        const response = await slot.client.kv.range(
          { key: Buffer.from(key), serializable: readMode === "serializable" },
          deadline(opTimeoutMs),
        );
        const raw = response.kvs[0]?.value;
        const value = raw ? Number(raw.toString()) : null;
        recorder.record({ ...base, type: "ok", f: "read", value, revision: Number(response.header.revision) });
        return "ok";
      } catch (error) {
        const failure = classifyFailure(error, true);
        recorder.record({ ...base, type: failure.type, f: "read", error: failure.error });
        return failure.type;
      }
    }
    const value = this.#nextValue++;
    recorder.record({ ...base, type: "invoke", f: "write", value });
    try {
      const response = await slot.client.kv.put({ key: Buffer.from(key), value: Buffer.from(String(value)) }, deadline(opTimeoutMs));
      recorder.record({ ...base, type: "ok", f: "write", value, revision: Number(response.header.revision) });
      return "ok";
    } catch (error) {
      const failure = classifyFailure(error, false);
      recorder.record({ ...base, type: failure.type, f: "write", value, error: failure.error });
      return failure.type;
    }
  }

  #sleepUntil(at: number): Promise<void> {
    const ms = at - performance.now();
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.#sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#sleepers.add(wake);
    });
  }
}
