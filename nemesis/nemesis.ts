// The nemesis interface: a fault family that says whether it can run here and injects itself, returning a handle that verifies and heals it.
import type { Cluster } from "../harness/cluster/backend.ts";
import type { ClientPauses } from "../harness/clients/client-pauses.ts";
import type { ProcessIds } from "../harness/history/process-ids.ts";
import type { HistoryRecorder } from "../harness/history/recorder.ts";
import type { EffectSign, FaultParams } from "../record/fault.ts";
import type { FaultInterval } from "../record/settings.ts";

export type { FaultParams };

export interface FaultContext {
  cluster: Cluster;
  /**
   * The run's history, for faults that write to the cluster (quota's fill): the etcd KV model places
   * every revision, so their writes are recorded like client operations, under process ids of their own.
   */
  history?: { recorder: HistoryRecorder; processIds: ProcessIds };
  /** Pause controls of the harness's own client processes, for faults on a client rather than etcd. */
  clients?: ClientPauses;
}

/** One injected fault: what was done, how to show it bit, and how to undo it (also on disposal). */
export interface FaultHandle extends AsyncDisposable {
  /** What the fault did (groups, links, new member ids, ...), for the history and results.json. */
  readonly details: Record<string, unknown>;
  /** What shows it bit, taken now, while it is still in place (just before it is healed): judged by the faults-took-effect checker. */
  verify(): Promise<EffectSign[]>;
  /** Ends whatever the injection started. Idempotent: a second call, or disposal after it, does nothing. */
  heal(): Promise<void>;
}

export interface Nemesis {
  readonly name: string;
  /** One line for documentation and listings. */
  readonly summary: string;
  /** An action with no duration (replace a member, compact): its handle has nothing to heal. */
  readonly instant?: boolean;
  /** It arms gofail failpoints, so every member must run a +failpoints build; checked before anything starts. */
  readonly needsFailpoints?: boolean;
  /** It runs etcdutl of the cluster's release (snapshot status, restore); the runner builds its image before the cluster starts. */
  readonly needsEtcdutl?: boolean;
  /** It cuts power, so every member must run on the power-loss file system; the runner provides it. */
  readonly needsPowerLossFs?: boolean;
  /** How long it stays in place and how long the cluster has healed before the next, when a schedule cycles it. */
  readonly cycle?: FaultInterval;
  /** Why this fault cannot run on the cluster with these targets and parameters, or undefined when it can. */
  unavailableReason(cluster: Cluster, targets: string[], params: FaultParams): string | undefined;
  inject(context: FaultContext, targets: string[], params: FaultParams): Promise<FaultHandle>;
}

/**
 * A handle from what the injection did, its verification, and its undo. The undo runs once: the first
 * call gets its outcome (a heal that fails says so), later calls and disposal wait for it and do nothing.
 */
export function faultHandle(details: Record<string, unknown>, parts: { verify: () => Promise<EffectSign[]>; heal?: () => Promise<void> }): FaultHandle {
  let healing: Promise<void> | undefined;
  const heal = (): Promise<void> => {
    if (healing) return healing.catch(() => undefined);
    healing = (parts.heal ?? (async () => undefined))();
    return healing;
  };
  return { details, verify: parts.verify, heal, [Symbol.asyncDispose]: heal };
}

/** The handle of an instant fault: it measured what it did while acting, and has nothing to undo. */
export function doneHandle(details: Record<string, unknown>, signs: EffectSign[]): FaultHandle {
  return faultHandle(details, { verify: async () => signs });
}

export type Measured = Extract<EffectSign, { kind: "measured" }>;

/** A sign the fault measured itself. */
export const measured = (held: boolean, what: string): Measured => ({ kind: "measured", held, what });

/** The interval of a cycling fault whose family names none. */
export const defaultFaultCycle: FaultInterval = { onMs: 3000, offMs: 3000 };

export const quorumOf = (members: number): number => Math.floor(members / 2) + 1;
