// Seeded schedules: the same seed gives the same schedule; every schedule fits the run and names real faults.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isTargetSelector } from "../../../nemesis/targets.ts";
import { nemeses } from "../../../nemesis/registry.ts";
import { scheduleArbitrary, scheduleForSeed } from "../../../scenarios/random-schedule.ts";
import { scenarioNamed } from "../../../scenarios/registry.ts";

const random = scenarioNamed("random");

describe("random schedules", () => {
  it("replay from their seed", () => {
    for (const seed of [1, 2, 42, 2 ** 31 - 1]) expect(scheduleForSeed(random.defaults, seed)).toEqual(scheduleForSeed(random.defaults, seed));
    expect(scheduleForSeed(random.defaults, 1)).not.toEqual(scheduleForSeed(random.defaults, 2));
  });

  it("fit inside the run, one fault at a time, each a known fault with a valid target", () => {
    for (const nodes of [3, 5]) {
      const settings = { ...random.defaults, nodes, timeMs: 40_000 };
      fc.assert(
        fc.property(scheduleArbitrary(settings), (schedule) => {
          let end = 0;
          for (const step of schedule) {
            expect(nemeses[step.fault]).toBeDefined();
            expect(isTargetSelector(step.target)).toBe(true);
            expect(step.atMs).toBeGreaterThanOrEqual(end);
            end = step.atMs + step.durationMs;
            expect(end).toBeLessThanOrEqual(settings.timeMs);
            if (nodes < 5) expect(step.fault).not.toBe("partition-ring");
          }
        }),
        { numRuns: 200 },
      );
    }
  });
});
