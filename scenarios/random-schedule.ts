// Fault schedules as fast-check arbitraries: a seed picks which faults, on whom, how long and how far apart,
// and the same arbitrary lets a failing schedule shrink.
import fc from "fast-check";
import type { FaultParams, FaultStep } from "../record/fault.ts";
import type { RunSettings } from "../record/settings.ts";

interface FaultChoice {
  fault: string;
  targets: string[];
  params?: fc.Arbitrary<FaultParams>;
  /** Smallest cluster the fault makes sense on. */
  minNodes?: number;
}

/** The faults a random schedule draws from. */
export const faultChoices: FaultChoice[] = [
  { fault: "partition", targets: ["minority-without-leader", "minority-with-leader", "leader", "follower", "minority"] },
  { fault: "partition-one-way", targets: ["leader", "follower"], params: fc.record({ direction: fc.constantFrom("in", "out") }) },
  { fault: "partition-flapping", targets: ["minority-with-leader", "follower"], params: fc.record({ periodMs: fc.integer({ min: 1000, max: 3000 }) }) },
  { fault: "partition-ring", targets: ["all"], minNodes: 5 },
  { fault: "partition-bridge", targets: ["follower"] },
  { fault: "kill", targets: ["leader", "follower", "random", "majority"] },
  { fault: "pause", targets: ["leader", "follower"] },
  { fault: "restart", targets: ["leader", "follower"] },
  { fault: "member-replace", targets: ["leader", "follower"] },
  {
    fault: "link-latency",
    targets: ["leader", "follower"],
    params: fc.record({ latencyMs: fc.integer({ min: 20, max: 300 }), jitterMs: fc.integer({ min: 0, max: 50 }) }),
  },
  { fault: "link-bandwidth", targets: ["leader", "follower"], params: fc.record({ rateKBps: fc.integer({ min: 8, max: 256 }) }) },
  { fault: "compact", targets: ["random"] },
  { fault: "defrag", targets: ["all"] },
];

const warmupMs = 2000;
const tailMs = 2000;

interface DrawnStep {
  fault: string;
  target: string;
  params: FaultParams;
  durationMs: number;
  gapMs: number;
}

/** Schedules for a run with these settings: faults one after another, a gap before each, none past the end. */
export function scheduleArbitrary(settings: RunSettings): fc.Arbitrary<FaultStep[]> {
  const usable = faultChoices.filter((choice) => settings.nodes >= (choice.minNodes ?? 3));
  const step: fc.Arbitrary<DrawnStep> = fc.oneof(
    ...usable.map((choice) =>
      fc.record({
        fault: fc.constant(choice.fault),
        target: fc.constantFrom(...choice.targets),
        params: choice.params ?? fc.constant({}),
        durationMs: fc.integer({ min: 2000, max: 8000 }),
        gapMs: fc.integer({ min: 1000, max: 4000 }),
      }),
    ),
  );
  return fc.array(step, { minLength: 1, maxLength: 10 }).map((steps) => layOut(steps, settings.timeMs));
}

/**
 * The schedule a seed gives; the same seed and settings give the same schedule. Drawn without
 * fast-check's bias towards small values, which suits finding bugs in properties but would make most
 * faults here as short as allowed.
 */
export function scheduleForSeed(settings: RunSettings, seed: number): FaultStep[] {
  return fc.sample(fc.noBias(scheduleArbitrary(settings)), { seed, numRuns: 1 })[0]!;
}

function layOut(steps: DrawnStep[], timeMs: number): FaultStep[] {
  const laidOut: FaultStep[] = [];
  let at = warmupMs;
  for (const drawn of steps) {
    at += laidOut.length === 0 ? 0 : drawn.gapMs;
    if (at + drawn.durationMs > timeMs - tailMs) break;
    laidOut.push({
      atMs: at,
      fault: drawn.fault,
      target: drawn.target,
      durationMs: drawn.durationMs,
      ...(Object.keys(drawn.params).length ? { params: drawn.params } : {}),
    });
    at += drawn.durationMs;
  }
  return laidOut;
}
