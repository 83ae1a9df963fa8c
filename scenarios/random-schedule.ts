// Fault schedules as fast-check arbitraries: a seed picks which faults, on whom, how long and how far apart,
// and the same arbitrary lets a failing schedule shrink.
import fc from "fast-check";
import { crashPoints, sleepPoints, targetFor } from "../nemesis/failpoint-catalog.ts";
import type { FaultParams, FaultStep } from "../record/fault.ts";
import type { RunSettings } from "../record/settings.ts";

interface FaultChoice {
  fault: string;
  targets: string[];
  params?: fc.Arbitrary<FaultParams>;
  /** Target and parameters drawn together, when the one depends on the other; instead of targets and params. */
  draw?: (settings: RunSettings) => fc.Arbitrary<{ target: string; params: FaultParams }>;
  /** Smallest cluster the fault makes sense on. */
  minNodes?: number;
  /** Drawn only when a schedule names it (it needs a failpoints build of etcd). */
  optIn?: boolean;
}

/** A crash point and the member that reaches it; leader and follower points need a cluster of more than one. */
const crashDraw = (settings: RunSettings): fc.Arbitrary<{ target: string; params: FaultParams }> =>
  fc
    .constantFrom(...crashPoints.filter((point) => settings.nodes > 1 || point.reachedBy === "any"))
    .map((point) => ({ target: targetFor(point), params: { failpoint: point.name } }));

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
  { fault: "failpoint-crash", targets: [], draw: crashDraw, minNodes: 1, optIn: true },
  {
    fault: "failpoint-sleep",
    targets: ["leader", "follower", "all"],
    params: fc.record({ failpoint: fc.constantFrom(...sleepPoints), ms: fc.integer({ min: 50, max: 1000 }) }),
    optIn: true,
  },
];

/** The families a random schedule draws from when it names none: every one that runs on any etcd build. */
export const defaultRandomFaults = faultChoices.filter((choice) => !choice.optIn).map((choice) => choice.fault);

const warmupMs = 2000;
const tailMs = 2000;

interface DrawnStep {
  fault: string;
  target: string;
  params: FaultParams;
  durationMs: number;
  gapMs: number;
}

/**
 * Schedules for a run with these settings: faults one after another, a gap before each, none past the
 * end; drawn from the families named (by default every one that runs on any etcd build).
 */
export function scheduleArbitrary(settings: RunSettings, faults: readonly string[] = defaultRandomFaults, minSteps = 1): fc.Arbitrary<FaultStep[]> {
  const usable = faultChoices.filter((choice) => faults.includes(choice.fault) && settings.nodes >= (choice.minNodes ?? 3));
  if (usable.length === 0) return fc.constant([]);
  const step: fc.Arbitrary<DrawnStep> = fc.oneof(
    ...usable.map((choice) =>
      choice.draw
        ? fc
            .record({ fault: fc.constant(choice.fault), drawn: choice.draw(settings), durationMs: fc.integer({ min: 2000, max: 8000 }), gapMs: fc.integer({ min: 1000, max: 4000 }) })
            .map(({ drawn, ...rest }) => ({ ...rest, ...drawn }))
        : fc.record({
            fault: fc.constant(choice.fault),
            target: fc.constantFrom(...choice.targets),
            params: choice.params ?? fc.constant({}),
            durationMs: fc.integer({ min: 2000, max: 8000 }),
            gapMs: fc.integer({ min: 1000, max: 4000 }),
          }),
    ),
  );
  return fc.array(step, { minLength: minSteps, maxLength: Math.max(10, minSteps) }).map((steps) => layOut(steps, settings.timeMs));
}

/**
 * The schedule a seed gives; the same seed and settings give the same schedule. Drawn without
 * fast-check's bias towards small values, which suits finding bugs in properties but would make most
 * faults here as short as allowed.
 */
export function scheduleForSeed(settings: RunSettings, seed: number, faults?: readonly string[], minSteps?: number): FaultStep[] {
  return fc.sample(fc.noBias(scheduleArbitrary(settings, faults, minSteps)), { seed, numRuns: 1 })[0]!;
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
