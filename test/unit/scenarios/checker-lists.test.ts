// Every scenario resolves to known checkers (options validated), the cluster-level ones wherever they apply, and availability thresholds a run can observe.
import { describe, expect, it } from "vitest";
import type { AvailabilityExpectations } from "../../../checkers/availability.ts";
import type { CheckerSpec } from "../../../record/results.ts";
import { resolvePlan } from "../../../runner/plan.ts";
import { recoveryObservationMs } from "../../../runner/run-scenario.ts";
import { scenarioNamed, scenarios } from "../../../scenarios/registry.ts";

const specsOf = (name: string, seed = 1): CheckerSpec[] => {
  const scenario = scenarioNamed(name);
  return resolvePlan(scenario, { ...scenario.defaults, timeMs: 20_000 }, seed).record.checkers;
};
const namesOf = (name: string): string[] => specsOf(name).map((spec) => spec.name);
const thresholdsOf = (name: string): AvailabilityExpectations | undefined =>
  specsOf(name).find((spec) => spec.name === "availability")?.options as AvailabilityExpectations | undefined;

describe("scenario checkers", () => {
  for (const scenario of scenarios) {
    it(`${scenario.name} resolves its checkers and checks split brain, availability and durability, with thresholds a run can observe`, () => {
      // resolvePlan builds every checker with its options, and throws on an unknown name or a bad option.
      const names = namesOf(scenario.name);
      expect(names).toEqual(expect.arrayContaining(["split-brain", "availability", "durability", "convergence"]));
      const thresholds = thresholdsOf(scenario.name);
      expect(thresholds?.minWritesPerSecondBefore).toBeGreaterThan(0);
      for (const expectation of Object.values(thresholds?.faults ?? {})) {
        expect((expectation.maxRecoveryS ?? 0) * 1000).toBeLessThan(recoveryObservationMs);
      }
    });
  }

  it("expects the majority to serve through partitions that leave one, and nothing of a killed majority", () => {
    expect(thresholdsOf("partition-minority")?.faults?.["partition"]?.minWritesPerSecondDuring).toBe(1);
    expect(thresholdsOf("kill-majority")?.faults?.["kill"]).toBeUndefined();
    expect(thresholdsOf("kill-majority")?.faults?.["*"]).toEqual({ maxRecoveryS: 10 });
    expect(namesOf("partition-minority")).toContain("minority-refuses");
    expect(namesOf("kill-majority")).not.toContain("minority-refuses");
  });

  it("random names minority-refuses only when its schedule isolates members", () => {
    const random = scenarioNamed("random");
    const pick = (fault: string): string[] =>
      (typeof random.checkers === "function" ? random.checkers([{ atMs: 2000, fault, target: "follower", durationMs: 3000 }]) : []).map((spec) => spec.name);
    expect(pick("partition")).toContain("minority-refuses");
    expect(pick("kill")).not.toContain("minority-refuses");
    expect(pick("kill")).toEqual(["split-brain", "availability", "durability", "convergence", "faults-took-effect"]);
  });
});
