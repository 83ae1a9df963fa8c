// Cycling schedules: a fault on for its interval, healed for its interval, again until the tail; the user's interval wins.
import { describe, expect, it } from "vitest";
import type { ScenarioSpec } from "../../../record/scenario-spec.ts";
import { scenarioNamed } from "../../../scenarios/registry.ts";
import { expectedOn, scenarioOf } from "../../../scenarios/scenario-of.ts";

const windows = (spec: ScenarioSpec | string, timeMs: number, faultInterval?: { onMs?: number; offMs?: number }) => {
  const scenario = typeof spec === "string" ? scenarioNamed(spec) : scenarioOf(spec);
  return scenario.schedule({ ...scenario.defaults, timeMs, ...(faultInterval ? { faultInterval } : {}) }, 1).map((step) => [step.atMs, step.atMs + step.durationMs, step.target]);
};

describe("a cycling schedule", () => {
  it("pauses the leader for 3 s every 6 s of a 60 s run, the last healed before the 2 s tail", () => {
    const steps = windows("pause-leader", 60_000);
    expect(steps.length).toBe(9);
    expect(steps[0]).toEqual([2000, 5000, "leader"]);
    expect(steps[1]).toEqual([8000, 11000, "leader"]);
    expect(steps.at(-1)![1]).toBeLessThanOrEqual(58_000);
  });

  it("alternates its faults, as partition-minority does with the leader outside and inside the minority", () => {
    expect(windows("partition-minority", 30_000)).toEqual([
      [2000, 7000, "minority-without-leader"],
      [9000, 14000, "minority-with-leader"],
      [16000, 21000, "minority-without-leader"],
      [23000, 28000, "minority-with-leader"],
    ]);
  });

  it("takes the user's interval over the fault's own, and either half alone", () => {
    expect(windows("pause-follower", 20_000, { onMs: 1000, offMs: 4000 })).toEqual([
      [2000, 3000, "follower"],
      [7000, 8000, "follower"],
      [12000, 13000, "follower"],
      [17000, 18000, "follower"],
    ]);
    expect(windows("kill-leader", 20_000, { offMs: 1000 }).map(([from]) => from)).toEqual([2000, 6000, 10000, 14000]);
  });

  it("takes the schedule's on and off over the fault's own, and a fault family with none gets 3 s each", () => {
    const spec: ScenarioSpec = { name: "mine", schedule: { cycle: [{ fault: "restart", target: "random" }], on: "0s", off: "4s", warmup: "1s", tail: "5s" } };
    expect(windows(spec, 20_000).map(([from]) => from)).toEqual([1000, 5000, 9000, 13000]);
    expect(windows({ name: "mine", schedule: { cycle: [{ fault: "latency", target: "leader" }] } }, 20_000).map(([from, to]) => [from, to])).toEqual([
      [2000, 5000],
      [8000, 11000],
      [14000, 17000],
    ]);
  });

  it("fits no fault in a run too short for one window", () => {
    expect(windows("partition-leader", 8_000)).toEqual([]);
  });
});

describe("a regression scenario", () => {
  const spec: ScenarioSpec = { name: "etcd-1", regression: { issue: 1, bug: "a bug", buggy: "3.5.4", fixed: "3.5.5" } };

  it("runs its buggy release unless its etcd section names another", () => {
    expect(scenarioOf(spec).etcd?.release).toBe("3.5.4");
    expect(scenarioOf({ ...spec, etcd: { release: "3.5.5", flags: ["snapshot-count=100"] } }).etcd?.release).toBe("3.5.5");
    expect(scenarioOf({ name: "plain" }).etcd).toBeUndefined();
  });

  it("expects its bug (invalid) on its buggy release, failpoints build or not, and valid on any other", () => {
    const failpoints = scenarioOf({ ...spec, regression: { ...spec.regression!, buggy: "3.5.4+failpoints", fixed: "3.5.5+failpoints" } });
    expect(expectedOn(failpoints, "3.5.4")).toBe("invalid");
    expect(expectedOn(scenarioOf(spec), "3.5.4")).toBe("invalid");
    expect(expectedOn(scenarioOf(spec), "3.5.5")).toBe("valid");
    expect(expectedOn(scenarioOf(spec), "3.7.3")).toBe("valid");
    expect(expectedOn(scenarioOf({ name: "plain" }), "3.5.4")).toBe("valid");
  });
});
