// A shrunk variant reproduces the original failure only when a checker that failed the original fails it too.
import { describe, expect, it } from "vitest";
import type { CheckResult } from "../../../../record/check-result.ts";
import { failsTheSameWay, invalidCheckers } from "../../../../runner/shrink/same-failure.ts";

const run = (verdicts: Record<string, CheckResult["verdict"]>) => ({
  checkers: Object.fromEntries(Object.entries(verdicts).map(([name, verdict]) => [name, { verdict, summary: "", anomalies: [] }])),
});

describe("failsTheSameWay", () => {
  const staleReads = run({ linearizability: "invalid", availability: "valid", "minority-refuses": "unknown" });

  it("holds when the checker that failed the original fails the variant", () => {
    expect(failsTheSameWay(staleReads, run({ linearizability: "invalid", availability: "invalid" }))).toBe(true);
  });

  it("does not hold when only another checker fails the variant", () => {
    expect(failsTheSameWay(staleReads, run({ linearizability: "valid", availability: "invalid" }))).toBe(false);
    expect(failsTheSameWay(staleReads, run({ linearizability: "unknown" }))).toBe(false);
  });

  it("holds for any one of several failures of the original", () => {
    const both = run({ linearizability: "invalid", durability: "invalid" });
    expect(failsTheSameWay(both, run({ linearizability: "valid", durability: "invalid" }))).toBe(true);
    expect(invalidCheckers(both)).toEqual(["durability", "linearizability"]);
  });
});
