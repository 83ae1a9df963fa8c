// Plays a fault schedule (data) against a cluster, recording each fault's start and end in the history,
// and checking after each heal that the cluster recovered.
import { nemesisNamed } from "../../nemesis/registry.ts";
import { resolveTargets, type FaultContext, type FaultParams, type TargetSelector } from "../../nemesis/nemesis.ts";
import type { StartedCluster } from "../cluster/cluster.ts";
import type { HistoryRecorder } from "../history/recorder.ts";

export interface FaultStep {
  /** Milliseconds after the workload starts. */
  atMs: number;
  fault: string;
  target: TargetSelector;
  /** How long the fault lasts before it is healed; ignored by instant faults. */
  durationMs: number;
  params?: FaultParams;
}

export interface FaultRecord {
  fault: string;
  selector: TargetSelector;
  targets: string[];
  params: FaultParams;
  /** Run-clock nanoseconds: when injection began, when it was complete, when healing began and ended. */
  start: number;
  effective: number;
  healStart: number;
  end: number;
  details: Record<string, unknown>;
  /** Whether the fault bit, judged while injecting or from the samples after the run. */
  tookEffect?: boolean;
  evidence?: string;
  /** Whether every member was healthy under one leader after the heal. */
  healed?: boolean;
  healEvidence?: string;
}

export interface ScheduleRun {
  records: FaultRecord[];
  /** The fault in place right now, if any, as "fault of targets". */
  current(): string | undefined;
  done: Promise<void>;
  /** Heals at once and stops the schedule; what is under way finishes first. */
  abort(): Promise<void>;
}

/** Budget for the cluster to be whole again after a heal. */
const recoveryBudgetMs = 30_000;

export function playSchedule(steps: FaultStep[], context: FaultContext, recorder: HistoryRecorder): ScheduleRun {
  const clock = recorder.clock;
  const records: FaultRecord[] = [];
  const origin = clock.elapsedMs();
  let aborted = false;
  let current: string | undefined;
  let wake: (() => void) | undefined;
  const sleepUntil = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, origin + ms - clock.elapsedMs()));
      wake = () => (clearTimeout(timer), resolve());
    });

  const done = (async () => {
    for (const step of [...steps].sort((a, b) => a.atMs - b.atMs)) {
      await sleepUntil(step.atMs);
      if (aborted) return;
      const nemesis = nemesisNamed(step.fault);
      const params = step.params ?? {};
      const start = clock.now();
      const targets = await resolveTargets(step.target, context);
      const unavailable = nemesis.unavailableReason(context.cluster, targets, params);
      if (unavailable) throw new Error(`${step.fault} on ${targets.join(",")}: ${unavailable}`);
      recorder.record({ process: "nemesis", type: "invoke", f: `start-${step.fault}`, value: { selector: step.target, targets, ...params } });
      current = `${step.fault} of ${targets.join(",")}`;
      const injected = await nemesis.inject(context, targets, params);
      const effective = clock.now();
      recorder.record({ process: "nemesis", type: "info", f: `start-${step.fault}`, value: { targets, ...injected.details } });
      // A fault that starts late (the previous heal took a while) still lasts its whole duration.
      if (!nemesis.instant) await sleepUntil(Math.max(step.atMs, effective / 1e6 - origin) + step.durationMs);
      const effect = nemesis.verify ? await nemesis.verify(context, targets, params) : injected.effect;
      const healStart = clock.now();
      recorder.record({ process: "nemesis", type: "invoke", f: `stop-${step.fault}`, value: { targets } });
      await nemesis.heal(context);
      current = undefined;
      const end = clock.now();
      const recovery = await recovered(context.cluster);
      recorder.record({ process: "nemesis", type: "info", f: `stop-${step.fault}`, value: { targets, healed: recovery.healed } });
      records.push({
        fault: step.fault,
        selector: step.target,
        targets,
        params,
        start,
        effective,
        healStart,
        end,
        details: injected.details,
        ...(effect ? { tookEffect: effect.tookEffect, evidence: effect.evidence } : {}),
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
    },
  };
}

/** Every member answers and follows the same leader, within the recovery budget. */
async function recovered(cluster: StartedCluster): Promise<{ healed: boolean; evidence: string }> {
  const started = Date.now();
  try {
    const leader = await cluster.waitForLeader(recoveryBudgetMs);
    return { healed: true, evidence: `all ${cluster.members.length} members followed ${leader} ${((Date.now() - started) / 1000).toFixed(1)}s after the heal` };
  } catch (error) {
    return { healed: false, evidence: error instanceof Error ? error.message : String(error) };
  }
}
