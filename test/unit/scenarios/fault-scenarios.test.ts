// Every scenario is well-formed data: known faults, valid targets and parameters, inside a 20 s run.
import { describe, expect, it } from "vitest";
import { latencyMatrix } from "../../../nemesis/link-plan.ts";
import { isTargetSelector } from "../../../nemesis/targets.ts";
import { nemeses } from "../../../nemesis/registry.ts";
import { quotaBytesOf } from "../../../nemesis/quota-fill.ts";
import { scenarioNamed, scenarios } from "../../../scenarios/registry.ts";
import { zoneDistances } from "../../../scenarios/wan-latency.ts";

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

  it("wan-latency spreads members round-robin over three zones, the farthest apart 70ms one way", () => {
    const latency = (members: string[]) => {
      const links = latencyMatrix(members, { zoneDistances });
      if (typeof links[0] === "string") throw new Error(String(links));
      return Object.fromEntries((links as Array<{ link: { from: string; to: string }; latencyMs: number }>).map(({ link, latencyMs }) => [`${link.from}->${link.to}`, latencyMs]));
    };
    expect(latency(["n1", "n2", "n3"])).toEqual({ "n1->n2": 30, "n2->n1": 30, "n1->n3": 70, "n3->n1": 70, "n2->n3": 40, "n3->n2": 40 });
    const five = latency(["n1", "n2", "n3", "n4", "n5"]);
    expect(five["n1->n4"]).toBeUndefined(); // same zone
    expect(five["n4->n5"]).toBe(30);
    expect(Object.keys(five)).toHaveLength(2 * 8);
    expect(latencyMatrix(["n1", "n2", "n3"], { zoneDistances: { "A-B": 30, "B-C": 40 } })).toEqual(["zoneDistances has no distance between zones A and C"]);
  });
});
