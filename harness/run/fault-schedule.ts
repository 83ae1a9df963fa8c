// Plays a fault schedule (data) against a cluster, recording each fault's start and end in the history.
import { nemesisNamed } from "../../nemesis/registry.ts";
import { resolveTargets, type FaultContext, type TargetSelector } from "../../nemesis/nemesis.ts";
import type { HistoryRecorder } from "../history/recorder.ts";

export interface FaultStep {
  /** Milliseconds after the workload starts. */
  atMs: number;
  fault: string;
  target: TargetSelector;
  durationMs: number;
}

export interface FaultRecord {
  fault: string;
  selector: TargetSelector;
  targets: string[];
  /** Run-clock nanoseconds: when injection began, when it was complete, when healing began and ended. */
  start: number;
  effective: number;
  healStart: number;
  end: number;
  details: Record<string, unknown>;
  /** Filled by the fault-effect check after the run. */
  tookEffect?: boolean;
  evidence?: string;
}

export interface ScheduleRun {
  records: FaultRecord[];
  done: Promise<void>;
  /** Heals at once and stops the schedule; what is under way finishes first. */
  abort(): Promise<void>;
}

export function playSchedule(steps: FaultStep[], context: FaultContext, recorder: HistoryRecorder): ScheduleRun {
  const clock = recorder.clock;
  const records: FaultRecord[] = [];
  const origin = clock.elapsedMs();
  let aborted = false;
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
      const start = clock.now();
      const targets = await resolveTargets(step.target, context);
      recorder.record({ process: "nemesis", type: "invoke", f: `start-${step.fault}`, value: { selector: step.target, targets } });
      const details = await nemesis.inject(context, targets);
      const effective = clock.now();
      recorder.record({ process: "nemesis", type: "info", f: `start-${step.fault}`, value: { targets, ...details } });
      await sleepUntil(step.atMs + step.durationMs);
      const healStart = clock.now();
      recorder.record({ process: "nemesis", type: "invoke", f: `stop-${step.fault}`, value: { targets } });
      await nemesis.heal(context);
      const end = clock.now();
      recorder.record({ process: "nemesis", type: "info", f: `stop-${step.fault}`, value: { targets } });
      records.push({ fault: step.fault, selector: step.target, targets, start, effective, healStart, end, details });
      if (aborted) return;
    }
  })();

  return {
    records,
    done,
    async abort() {
      aborted = true;
      wake?.();
      await done.catch(() => undefined);
    },
  };
}
