// Every scenario names known checkers, the cluster-level ones wherever they apply, and availability thresholds a run can observe.
import { describe, expect, it } from "vitest";
import { checkerNamed } from "../../../checkers/registry.ts";
import { recoveryObservationMs } from "../../../harness/run/run-scenario.ts";
import { scenarioNamed, scenarios } from "../../../scenarios/registry.ts";

const checkersOf = (name: string, seed = 1): string[] => {
  const scenario = scenarioNamed(name);
  const schedule = scenario.schedule({ ...scenario.defaults, timeMs: 20_000 }, seed);
  return typeof scenario.checkers === "function" ? scenario.checkers(schedule) : scenario.checkers;
};

describe("scenario checkers", () => {
  for (const scenario of scenarios) {
    it(`${scenario.name} checks split brain, availability and durability, with thresholds a run can observe`, () => {
      const names = checkersOf(scenario.name);
      for (const name of names) expect(() => checkerNamed(name)).not.toThrow();
      expect(names).toEqual(expect.arrayContaining(["split-brain", "availability", "durability", "convergence"]));
      expect(scenario.availability?.minWritesPerSecondBefore).toBeGreaterThan(0);
      for (const expectation of Object.values(scenario.availability?.faults ?? {})) {
        expect((expectation.maxRecoveryS ?? 0) * 1000).toBeLessThan(recoveryObservationMs);
      }
    });
  }

  it("expects the majority to serve through partitions that leave one, and nothing of a killed majority", () => {
    expect(scenarioNamed("partition-minority").availability?.faults?.["partition"]?.minWritesPerSecondDuring).toBe(1);
    expect(scenarioNamed("kill-majority").availability?.faults?.["kill"]).toBeUndefined();
    expect(scenarioNamed("kill-majority").availability?.faults?.["*"]).toEqual({ maxRecoveryS: 10 });
    expect(checkersOf("partition-minority")).toContain("minority-refuses");
    expect(checkersOf("kill-majority")).not.toContain("minority-refuses");
  });

  it("random names minority-refuses only when its schedule isolates members", () => {
    const random = scenarioNamed("random");
    const pick = (fault: string) => (typeof random.checkers === "function" ? random.checkers([{ atMs: 2000, fault, target: "follower", durationMs: 3000 }]) : []);
    expect(pick("partition")).toContain("minority-refuses");
    expect(pick("kill")).not.toContain("minority-refuses");
    expect(pick("kill")).toEqual(["split-brain", "availability", "durability", "convergence", "faults-took-effect"]);
  });
});
