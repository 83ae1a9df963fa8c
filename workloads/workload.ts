// What every workload shares: its context, its life cycle, and the checkers that judge its history.
import type { Cluster } from "../harness/cluster/backend.ts";
import type { ClientPauses } from "../harness/clients/client-pauses.ts";
import type { ProcessIds } from "../harness/history/process-ids.ts";
import type { HistoryRecorder } from "../harness/history/recorder.ts";
import type { Random } from "../harness/random.ts";
import type { CheckerSpec } from "../record/results.ts";
import type { WorkloadSettings } from "../record/settings.ts";

export interface WorkloadContext {
  cluster: Cluster;
  recorder: HistoryRecorder;
  /** The random stream for one purpose ("client", slot, generation): split from the run's seed, so choices replay. */
  randomFor(...labels: Array<string | number>): Random;
  settings: WorkloadSettings;
  /** Hands out process ids, unique over the run, to every kind of client process. */
  processIds: ProcessIds;
  /**
   * Prepended to every key the workload touches. Checkers assume keys are absent when a history
   * starts, so a workload run on a cluster that already holds data needs a fresh prefix.
   */
  keyPrefix: string;
  /** Pause controls of the run's client processes, which a client-pause fault freezes (lock holders enrol). */
  clients: ClientPauses;
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
  /** Checkers that judge this workload's history (see checkers/registry.ts). */
  checkers(settings: WorkloadSettings): CheckerSpec[];
}
