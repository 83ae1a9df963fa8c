// Plays a fault schedule against a cluster: each step's targets picked from its own random stream (or
// pinned by a replay), injected, verified just before its heal, healed, recorded on the run's clock.
import type { Cluster } from "../harness/cluster/backend.ts";
import type { HistoryRecorder } from "../harness/history/recorder.ts";
import { randomStream } from "../harness/random.ts";
import type { FaultContext, FaultHandle, Nemesis } from "../nemesis/nemesis.ts";
import { memberNames, resolveTargets, type ResolvedTargets } from "../nemesis/targets.ts";
import type { EffectSign, FaultRecord, FaultStep } from "../record/fault.ts";

export interface ScheduleRun {
  /** The faults played so far, in the order they started. */
  records: FaultRecord[];
  /** The fault in place right now, if any, as "fault of targets". */
  current(): string | undefined;
  done: Promise<void>;
  /** Stops the schedule: wakes it from its wait, and heals whatever is in place once the step under way is done. */
  abort(): Promise<void>;
}

export interface SchedulePlay {
  steps: FaultStep[];
  /** The fault family of each step. */
  faults: Nemesis[];
  context: FaultContext;
  recorder: HistoryRecorder;
  seed: number;
  /** Resolve selectors again even where a step pins the targets a recorded run hit. */
  retarget?: boolean;
}

/** Budget for the cluster to be whole again after a heal. */
const recoveryBudgetMs = 30_000;

export function playSchedule(play: SchedulePlay): ScheduleRun {
  const { context, recorder } = play;
  const clock = recorder.clock;
  const records: FaultRecord[] = [];
  const origin = clock.elapsedMs();
  const open = new Set<FaultHandle>();
  let aborted = false;
  let current: string | undefined;
  let wake: (() => void) | undefined;
  const sleepUntil = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, origin + ms - clock.elapsedMs()));
      wake = () => (clearTimeout(timer), resolve());
    });
  const order = play.steps.map((step, index) => ({ step, index })).sort((a, b) => a.step.atMs - b.step.atMs || a.index - b.index);

  const done = (async () => {
    for (const { step, index } of order) {
      await sleepUntil(step.atMs);
      if (aborted) return;
      const nemesis = play.faults[index]!;
      const params = step.params ?? {};
      const start = clock.now();
      const resolved = await targetsOf(step, index, context.cluster, play);
      const { targets } = resolved;
      const unavailable = nemesis.unavailableReason(context.cluster, targets, params);
      if (unavailable) throw new Error(`${step.fault} on ${targets.join(",")}: ${unavailable}`);
      recorder.record({ process: "nemesis", type: "invoke", f: `start-${step.fault}`, value: { selector: step.target, targets, ...params } });
      current = `${step.fault} of ${targets.join(",")}`;
      const handle = await nemesis.inject(context, targets, params);
      open.add(handle);
      const effective = clock.now();
      recorder.record({ process: "nemesis", type: "info", f: `start-${step.fault}`, value: { targets, ...handle.details } });
      // A fault that starts late (the previous heal took a while) still lasts its whole duration.
      if (!nemesis.instant) await sleepUntil(Math.max(step.atMs, effective / 1e6 - origin) + step.durationMs);
      const signs = await handle.verify().catch((error: unknown): EffectSign[] => [{ kind: "measured", held: false, what: `could not verify: ${error instanceof Error ? error.message : String(error)}` }]);
      const healStart = clock.now();
      recorder.record({ process: "nemesis", type: "invoke", f: `stop-${step.fault}`, value: { targets } });
      await handle.heal();
      open.delete(handle);
      current = undefined;
      const end = clock.now();
      const recovery = await recovered(context.cluster);
      recorder.record({ process: "nemesis", type: "info", f: `stop-${step.fault}`, value: { targets, healed: recovery.healed } });
      records.push({
        step: index,
        fault: step.fault,
        selector: step.target,
        targets,
        ...(resolved.leader !== undefined ? { leader: resolved.leader } : {}),
        params,
        start,
        effective,
        healStart,
        end,
        details: handle.details,
        signs,
        healed: recovery.healed,
        healEvidence: recovery.evidence,
      });
      if (aborted) return;
    }
  })();

  return {
    records,
    current: () => current,
    done,
    async abort() {
      aborted = true;
      wake?.();
      await done.catch(() => undefined);
      await Promise.allSettled([...open].map((handle) => handle.heal()));
      open.clear();
    },
  };
}

/** A step's targets: those it pins (a replay), unless told to retarget, else its selector resolved from the step's own stream. */
async function targetsOf(step: FaultStep, index: number, cluster: Cluster, play: SchedulePlay): Promise<ResolvedTargets> {
  if (step.targets && !play.retarget) return { targets: memberNames(step.targets, cluster.names) };
  return resolveTargets(step.target, cluster, randomStream(play.seed, "fault", index));
}

/** Every member answers and follows the same leader, within the recovery budget. */
async function recovered(cluster: Cluster): Promise<{ healed: boolean; evidence: string }> {
  const started = Date.now();
  try {
    const leader = await cluster.waitForLeader(recoveryBudgetMs);
    return { healed: true, evidence: `all ${cluster.members.length} members followed ${leader} ${((Date.now() - started) / 1000).toFixed(1)}s after the heal` };
  } catch (error) {
    return { healed: false, evidence: error instanceof Error ? error.message : String(error) };
  }
}
