// The space a failing run shrinks in: which of its fault steps remain and how long each lasts, how many
// clients and keys; as a fast-check arbitrary that can shrink the original run's values without context.
import fc from "fast-check";
import type { FaultStep } from "../../record/fault.ts";
import type { RunResults } from "../../record/results.ts";
import { recordedSchedule } from "../replay.ts";

export interface ShrinkCandidate {
  steps: Array<{ step: FaultStep; durationMs: number }>;
  concurrency: number;
  keys: number;
}

/** Faults shorter than this rarely bite (an election timeout is a second or two). */
export const shortestFaultMs = 1500;

export interface ShrinkSpace {
  arbitrary: fc.Arbitrary<ShrinkCandidate>;
  /** The failing run itself, as a value of the arbitrary. */
  original: ShrinkCandidate;
}

/** `retarget`: shrink with the selectors resolved again, rather than each step on the members the run hit. */
export function shrinkSpace(run: RunResults, retarget = false): ShrinkSpace {
  const steps = retarget ? run.schedule : recordedSchedule(run);
  const longest = Math.max(shortestFaultMs, ...steps.map((step) => step.durationMs));
  const step = steps.length > 0 ? fc.constantFrom(...steps) : fc.constant<FaultStep>({ atMs: 0, fault: "none", target: "all", durationMs: 0 });
  const arbitrary = fc.record({
    // Shrinking removes steps and shortens the ones left.
    steps: fc.array(fc.record({ step, durationMs: fc.integer({ min: shortestFaultMs, max: longest }) }), { maxLength: steps.length }),
    concurrency: fc.integer({ min: 1, max: run.settings.concurrency }),
    keys: fc.integer({ min: 1, max: run.settings.keys }),
  });
  const original: ShrinkCandidate = {
    steps: steps.map((entry) => ({ step: entry, durationMs: Math.max(shortestFaultMs, entry.durationMs) })),
    concurrency: run.settings.concurrency,
    keys: run.settings.keys,
  };
  return { arbitrary, original };
}

const tailMs = 3000;

/** The schedule and run length a candidate stands for: its steps in time order, the run ending soon after the last. */
export function candidateSchedule(candidate: ShrinkCandidate, originalTimeMs: number): { schedule: FaultStep[]; timeMs: number } {
  const schedule = candidate.steps.map(({ step, durationMs }) => ({ ...step, durationMs })).sort((a, b) => a.atMs - b.atMs);
  const lastEnd = Math.max(0, ...schedule.map((step) => step.atMs + step.durationMs));
  return { schedule, timeMs: Math.min(originalTimeMs, Math.max(5000, lastEnd + tailMs)) };
}

/** One line for a candidate, for logs and the shrink report. */
export function describeCandidate(candidate: ShrinkCandidate): string {
  const steps = candidate.steps.map(({ step, durationMs }) => `${step.fault} ${step.targets?.join(",") ?? step.target} at ${step.atMs / 1000}s for ${durationMs / 1000}s`);
  return `${steps.length ? steps.join(", ") : "no faults"}; ${candidate.concurrency} clients, ${candidate.keys} keys`;
}
