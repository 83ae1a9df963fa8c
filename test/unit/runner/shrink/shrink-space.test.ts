// The shrink space: the failing run is a value of it, its shrinks are smaller runs, and each maps to a schedule.
import { describe, expect, it } from "vitest";
import type { RunResults } from "../../../../record/results.ts";
import { baseSettings } from "../../../../scenarios/scenario.ts";
import { candidateSchedule, describeCandidate, shortestFaultMs, shrinkSpace } from "../../../../runner/shrink/shrink-space.ts";

const run = {
  scenario: "partition-minority",
  settings: { ...baseSettings, concurrency: 6, keys: 3, timeMs: 20_000 },
  schedule: [
    { atMs: 2000, fault: "partition", target: "minority-without-leader", durationMs: 7000 },
    { atMs: 11000, fault: "partition", target: "minority-with-leader", durationMs: 7000 },
  ],
  faults: [],
} as unknown as RunResults;

describe("shrinkSpace", () => {
  it("holds the failing run as a value it can shrink without having generated it", () => {
    const { arbitrary, original } = shrinkSpace(run);
    expect(arbitrary.canShrinkWithoutContext(original)).toBe(true);
    const shrinks = [...arbitrary.shrink(original, undefined).take(50)].map((value) => value.value);
    expect(shrinks.length).toBeGreaterThan(5);
    for (const candidate of shrinks) {
      expect(candidate.steps.length).toBeLessThanOrEqual(2);
      expect(candidate.concurrency).toBeLessThanOrEqual(6);
      expect(candidate.keys).toBeLessThanOrEqual(3);
      for (const { durationMs } of candidate.steps) expect(durationMs).toBeGreaterThanOrEqual(shortestFaultMs);
    }
    expect(shrinks.some((candidate) => candidate.steps.length < 2)).toBe(true);
    expect(shrinks.some((candidate) => candidate.concurrency < 6 || candidate.keys < 3)).toBe(true);
  });

  it("shrinks the steps pinned to the members the run hit, or with their selectors when retargeting", () => {
    const played = { ...run, faults: [{ step: 1, targets: ["n1"] }, { step: 0, targets: ["n3"] }] } as unknown as RunResults;
    expect(shrinkSpace(played).original.steps.map(({ step }) => step.targets)).toEqual([["n3"], ["n1"]]);
    expect(shrinkSpace(played, true).original.steps.map(({ step }) => step.targets)).toEqual([undefined, undefined]);
    expect(describeCandidate(shrinkSpace(played).original)).toMatch(/^partition n3 at 2s for 7s, partition n1 at 11s/);
  });

  it("turns a candidate into a time-ordered schedule and a run that ends soon after its last fault", () => {
    const { original } = shrinkSpace(run);
    const reversed = { ...original, steps: [...original.steps].reverse() };
    const { schedule, timeMs } = candidateSchedule(reversed, 20_000);
    expect(schedule.map((step) => step.atMs)).toEqual([2000, 11000]);
    expect(timeMs).toBe(20_000);
    const shorter = candidateSchedule({ ...original, steps: [{ ...original.steps[0]!, durationMs: 2000 }] }, 20_000);
    expect(shorter.timeMs).toBe(2000 + 2000 + 3000);
    expect(describeCandidate({ steps: [], concurrency: 2, keys: 1 })).toBe("no faults; 2 clients, 1 keys");
  });
});
