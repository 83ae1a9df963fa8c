// What every workload shares: its settings, its life cycle, and how its history is to be checked.
import type { StartedCluster } from "../cluster/cluster.ts";
import type { HistoryRecorder } from "../history/recorder.ts";
import type { Random } from "../random.ts";

export type ReadMode = "linearizable" | "serializable";
export type KeyDistribution = "uniform" | "zipf";
export type CasCompare = "value" | "mod-revision";

export interface WorkloadSettings {
  /** Concurrent client processes, spread round-robin over the members. */
  concurrency: number;
  /** Operations per second over all processes. */
  rate: number;
  keys: number;
  distribution: KeyDistribution;
  readMode: ReadMode;
  /** How the register workload's cas compares: on the value, or on the key's mod revision. */
  casCompare: CasCompare;
  /** Deadline of every call. */
  opTimeoutMs: number;
  /** Lock workload: the TTL of each lock's lease, in seconds (lock.ts's default unless set). */
  lockTtlSeconds?: number;
  /** Lock workload: how long a holder stays in its critical section, [least, most] milliseconds (lock.ts's default unless set). */
  lockHoldMs?: [number, number];
}

/** What a workload runs with unless the workload, the scenario or the user says otherwise. */
export const defaultWorkloadSettings: WorkloadSettings = {
  rate: 200,
  concurrency: 6,
  keys: 3,
  distribution: "uniform",
  readMode: "linearizable",
  casCompare: "value",
  opTimeoutMs: 1000,
};

export interface WorkloadContext {
  cluster: StartedCluster;
  recorder: HistoryRecorder;
  random: Random;
  settings: WorkloadSettings;
  /** Hands out process ids, unique over the run, to every kind of client process. */
  processIds: ProcessIds;
  /**
   * Prepended to every key the workload touches. Checkers assume keys are absent when a history
   * starts, so a workload run on a cluster that already holds data needs a fresh prefix.
   */
  keyPrefix: string;
}

export class ProcessIds {
  #next = 0;

  next(): number {
    return this.#next++;
  }
}

export interface Workload {
  start(): void;
  /** Stops issuing operations and waits for those in flight (each bounded by its deadline). */
  stop(): Promise<void>;
}

export interface WorkloadDefinition {
  name: string;
  /** One line for help and `harness list`. */
  summary: string;
  /** Settings this workload needs to be meaningful (for example how many keys), unless the user sets them. */
  defaults?: Partial<WorkloadSettings>;
  create(context: WorkloadContext): Workload;
  /** Checkers that judge this workload's history, by name (see checkers/registry.ts). */
  checkers(settings: WorkloadSettings): string[];
}
