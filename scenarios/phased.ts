// Scenarios made of faults one after another: a warm-up, each fault for an equal window, recovery between, a tail.
import type { AvailabilityExpectations } from "../checkers/availability.ts";
import type { FaultParams, FaultStep } from "../record/fault.ts";
import type { CheckerSpec } from "../record/results.ts";
import type { RunSettings } from "../record/settings.ts";

export interface Phase {
  fault: string;
  target: string;
  params?: FaultParams;
}

const warmupMs = 2000;
const defaultRecoveryMs = 2000;
const tailMs = 2000;
const minimumWindowMs = 3000;

/** Checkers for every scenario with faults, availability held to the scenario's thresholds. */
export function faultCheckers(thresholds: AvailabilityExpectations): CheckerSpec[] {
  return [{ name: "split-brain" }, { name: "availability", options: thresholds }, { name: "durability" }, { name: "convergence" }, { name: "faults-took-effect" }];
}

/** Checkers for scenarios whose faults isolate groups of members. */
export function partitionCheckers(thresholds: AvailabilityExpectations): CheckerSpec[] {
  return [{ name: "minority-refuses" }, ...faultCheckers(thresholds)];
}

/** `recoveryMs`: the gap between one fault's heal and the next fault (2000 unless set). */
export function phasedSchedule(phases: Phase[], { recoveryMs = defaultRecoveryMs } = {}): (settings: RunSettings) => FaultStep[] {
  return ({ timeMs }) => {
    const windowMs = Math.max(minimumWindowMs, (timeMs - warmupMs - tailMs - recoveryMs * (phases.length - 1)) / phases.length);
    return phases.map((phase, index) => ({
      atMs: warmupMs + index * (windowMs + recoveryMs),
      fault: phase.fault,
      target: phase.target,
      durationMs: windowMs,
      ...(phase.params ? { params: phase.params } : {}),
    }));
  };
}

/**
 * A fault every `everyMs` from the warm-up on, each as long as `step` makes it, the last one healed at
 * least `clearOfEndMs` before the workload ends; `turn` counts the steps from 0.
 */
export function repeatedSchedule(everyMs: number, clearOfEndMs: number, step: (atMs: number, turn: number) => FaultStep): (settings: RunSettings) => FaultStep[] {
  return ({ timeMs }) => {
    const steps: FaultStep[] = [];
    for (let turn = 0; ; turn++) {
      const next = step(warmupMs + turn * everyMs, turn);
      if (next.atMs + next.durationMs > timeMs - clearOfEndMs) return steps;
      steps.push(next);
    }
  };
}
