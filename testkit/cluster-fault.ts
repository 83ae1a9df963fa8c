// A fault a test injected: verified to have bit before the call returns, healed by heal() or by leaving its `await using` block, and kept in the recording when one runs.
import type { Cluster } from "../harness/cluster/backend.ts";
import type { RunClock } from "../harness/history/clock.ts";
import type { FaultContext, FaultHandle } from "../nemesis/nemesis.ts";
import type { EffectSign, FaultParams } from "../record/fault.ts";
import { awaitEffect } from "./fault-effect.ts";
import type { Recording } from "./recording.ts";

export interface ClusterFault extends AsyncDisposable {
  /** The fault family (partition, kill, pause, quota, member-replace, link-latency, ...). */
  readonly fault: string;
  /** The members it hit. */
  readonly targets: readonly string[];
  /** The leader a majority agreed on when a role (leader, follower, ...) was resolved. */
  readonly leader?: string;
  /** What the fault did: groups, links, new member ids, fill sizes. */
  readonly details: Record<string, unknown>;
  /** What showed it took effect. */
  readonly signs: readonly EffectSign[];
  /** Undoes it (restart, SIGCONT, heal the links, ...); idempotent. Disposal calls it too. */
  heal(): Promise<void>;
}

export interface Injection {
  fault: string;
  selector: string;
  targets: string[];
  leader?: string;
  params: FaultParams;
  inject(context: FaultContext): Promise<FaultHandle>;
}

export interface FaultPlace {
  cluster: Cluster;
  clock: RunClock;
  recording: () => Recording | undefined;
  effectBudgetMs: number;
}

/** Injects, waits for the effect (healing at once when it does not come) and returns the handle; logs both ends in the recording. */
export async function injectFault(place: FaultPlace, injection: Injection): Promise<ClusterFault> {
  const { cluster, clock } = place;
  const { fault, targets, params } = injection;
  const recording = place.recording();
  const start = clock.now();
  recording?.nemesis("invoke", `start-${fault}`, { selector: injection.selector, targets, ...params });
  const handle = await injection.inject({ cluster, ...recording?.faultHistory() });
  let signs: EffectSign[];
  try {
    signs = await awaitEffect(`${fault} of ${targets.join(",")}`, handle, cluster, place.effectBudgetMs);
  } catch (error) {
    await handle.heal().catch(() => undefined);
    recording?.nemesis("info", `stop-${fault}`, { targets, healed: false });
    throw error;
  }
  const effective = clock.now();
  recording?.nemesis("info", `start-${fault}`, { targets, ...handle.details });
  let healing: Promise<void> | undefined;
  const heal = (): Promise<void> =>
    (healing ??= (async () => {
      const healStart = clock.now();
      recording?.nemesis("invoke", `stop-${fault}`, { targets });
      await handle.heal();
      const end = clock.now();
      recording?.nemesis("info", `stop-${fault}`, { targets });
      if (recording && !recording.finished) {
        recording.faultEnded({
          fault,
          selector: injection.selector,
          targets,
          ...(injection.leader !== undefined ? { leader: injection.leader } : {}),
          params,
          start,
          effective,
          healStart,
          end,
          details: handle.details,
          signs,
        });
      }
    })());
  return {
    fault,
    targets,
    ...(injection.leader !== undefined ? { leader: injection.leader } : {}),
    details: handle.details,
    signs,
    heal,
    [Symbol.asyncDispose]: heal,
  };
}
