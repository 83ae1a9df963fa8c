// Every scenario is well-formed data: known faults, valid targets and parameters, inside a 20 s run.
import { describe, expect, it } from "vitest";
import { latencyMatrix } from "../../../nemesis/link-plan.ts";
import { isTargetSelector } from "../../../nemesis/targets.ts";
import { nemeses } from "../../../nemesis/registry.ts";
import { quotaBytesOf } from "../../../nemesis/quota-fill.ts";
import { scenarioNamed, scenarios } from "../../../scenarios/registry.ts";
import { wanMatrix } from "../../../scenarios/wan-latency.ts";

describe("fault scenarios", () => {
  for (const scenario of scenarios) {
    it(`${scenario.name} schedules known faults within a 20s run, and only as many as fit`, () => {
      const schedule = scenario.schedule({ ...scenario.defaults, timeMs: 20_000 }, 1);
      expect(schedule.length > 0).toBe(scenario.name !== "steady");
      for (const step of schedule) {
        expect(nemeses[step.fault], step.fault).toBeDefined();
        expect(isTargetSelector(step.target), step.target).toBe(true);
        const ends = step.atMs + (nemeses[step.fault]!.instant ? 0 : step.durationMs);
        expect(ends, `${step.fault} at ${step.atMs}ms`).toBeLessThanOrEqual(20_000);
      }
    });
  }

  it("quota-exhaustion starts its cluster with a quota small enough to fill", () => {
    expect(quotaBytesOf(scenarioNamed("quota-exhaustion").etcdFlags ?? [])).toBe(16 * 1024 * 1024);
  });

  it("wan-latency spreads members over three zones, the farthest apart 70ms one way", () => {
    expect(wanMatrix(3)).toEqual({ "n1<->n2": 30, "n1<->n3": 70, "n2<->n3": 40 });
    const five = wanMatrix(5);
    expect(five["n1<->n4"]).toBeUndefined(); // same zone
    expect(five["n4<->n5"]).toBe(30);
    const links = latencyMatrix(["n1", "n2", "n3", "n4", "n5"], { matrix: five });
    expect(Array.isArray(links) && typeof links[0] !== "string" ? links.length : links).toBe(2 * 8);
  });
});
