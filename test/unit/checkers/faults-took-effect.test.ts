// A fault must bite: partition assessment from status samples, and how checker verdicts combine.
import { describe, expect, it } from "vitest";
import { combineVerdicts, runCheckers } from "../../../checkers/checker.ts";
import { assessPartitions, faultsTookEffectChecker } from "../../../checkers/faults-took-effect.ts";
import type { StatusSample } from "../../../harness/run/status-sampler.ts";
import { partitionOfN1, recordedRun, s } from "./fixtures.ts";

const sample = (at: number, member: string, leader: string | null): StatusSample => ({ time: s(at), member, leader, raftIndex: 1 });

describe("assessPartitions", () => {
  it("says a partition took effect when the cut-off member lost its leader and the rest kept one", () => {
    const fault = partitionOfN1();
    assessPartitions([fault], [sample(2.5, "n1", "n2"), sample(3.5, "n1", null), sample(3.5, "n2", "n2")], ["n1", "n2", "n3"]);
    expect(fault.tookEffect).toBe(true);
    expect(fault.evidence).toContain("n1 lost its leader 1.5s after the cut");
  });

  it("says it did not when the cut-off member kept its leader throughout", () => {
    const fault = partitionOfN1();
    assessPartitions([fault], [sample(3, "n1", "n2"), sample(7, "n1", "n2"), sample(7, "n2", "n2")], ["n1", "n2", "n3"]);
    expect(fault.tookEffect).toBe(false);
    expect(fault.evidence).toContain("n1 kept a leader throughout");
  });
});

describe("faults-took-effect and composition", () => {
  it("turns a fault that did not bite into an unknown run", () => {
    const fault = { ...partitionOfN1(), tookEffect: false, evidence: "n1 kept a leader throughout" };
    const results = runCheckers([faultsTookEffectChecker], recordedRun({ faults: [fault] }));
    expect(results["faults-took-effect"]?.verdict).toBe("unknown");
  });

  it("treats a checker that throws as unknown, never valid", () => {
    const results = runCheckers([{ name: "broken", check: () => { throw new Error("boom"); } }], recordedRun({}));
    expect(results["broken"]).toMatchObject({ verdict: "unknown", summary: "checker failed: boom" });
  });

  it("lets invalid beat unknown beat valid", () => {
    expect(combineVerdicts(["valid", "unknown", "invalid"])).toBe("invalid");
    expect(combineVerdicts(["valid", "unknown"])).toBe("unknown");
    expect(combineVerdicts(["valid", "valid"])).toBe("valid");
    expect(combineVerdicts([])).toBe("unknown");
  });
});
