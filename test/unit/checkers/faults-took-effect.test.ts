// A fault must bite: its recorded signs judged (a partition from status samples), and how checker verdicts combine.
import { describe, expect, it } from "vitest";
import { runCheckers } from "../../../checkers/checker.ts";
import { judgeFault, leaderLost } from "../../../checkers/fault-effects.ts";
import { faultsTookEffectChecker } from "../../../checkers/faults-took-effect.ts";
import { combineVerdicts } from "../../../record/check-result.ts";
import type { StatusSample } from "../../../record/status.ts";
import { partitionOfN1, recordedRun, s } from "./fixtures.ts";

const sample = (at: number, member: string, leader: string | null): StatusSample => ({ time: s(at), member, leader, raftIndex: 1 });

describe("a cut judged from the samples", () => {
  it("took effect when the cut-off member lost its leader and the rest kept one", () => {
    const effect = judgeFault(partitionOfN1(), [sample(2.5, "n1", "n2"), sample(3.5, "n1", null), sample(3.5, "n2", "n2")])!;
    expect(effect.tookEffect).toBe(true);
    expect(effect.evidence).toContain("n1 lost its leader 1.5s after the cut");
  });

  it("did not when the cut-off member kept its leader throughout", () => {
    const effect = judgeFault(partitionOfN1(), [sample(3, "n1", "n2"), sample(7, "n1", "n2"), sample(7, "n2", "n2")])!;
    expect(effect.tookEffect).toBe(false);
    expect(effect.evidence).toContain("n1 kept a leader throughout");
  });
});

describe("a flapping cut judged from the samples", () => {
  const cut = () => ({ ...partitionOfN1(), fault: "partition-flapping", targets: ["n4", "n2"], details: { groups: [["n4", "n2"], ["n1", "n3", "n5"]] } });
  const judge = (samples: StatusSample[]) => leaderLost(cut(), samples, ["n4", "n2"], ["n1", "n3", "n5"], "some");

  it("took effect when the majority replaced the leader the cut left in the minority, though no sample caught the minority leaderless", () => {
    const effect = judge([sample(2.5, "n2", "n4"), sample(2.5, "n1", "n4"), sample(3.5, "n1", "n5"), sample(3.5, "n3", "n5"), sample(3.5, "n4", "n4")]);
    expect(effect.tookEffect, effect.evidence).toBe(true);
    expect(effect.evidence).toContain("the majority replaced cut-off leader n4 with n5");
  });

  it("did not when the majority kept following the cut-off leader and elected none of its own", () => {
    expect(judge([sample(2.5, "n2", "n4"), sample(2.5, "n1", "n4"), sample(3.5, "n1", "n4"), sample(3.5, "n4", "n4")]).tookEffect).toBe(false);
  });
});

describe("faults-took-effect and composition", () => {
  const measured = (held: boolean, what: string) => [{ kind: "measured" as const, held, what }];

  it("turns a fault that did not bite into an unknown run", () => {
    const fault = { ...partitionOfN1(), signs: measured(false, "n1's etcd still running after SIGKILL"), healed: true };
    const result = runCheckers([faultsTookEffectChecker], recordedRun({ faults: [fault] }))["faults-took-effect"]!;
    expect(result.verdict).toBe("unknown");
    expect(result.summary).toContain("still running after SIGKILL");
  });

  it("turns a fault that recorded nothing to judge it by into an unknown run, never a pass", () => {
    const fault = { ...partitionOfN1(), signs: [], healed: true };
    expect(runCheckers([faultsTookEffectChecker], recordedRun({ faults: [fault] }))["faults-took-effect"]?.verdict).toBe("unknown");
  });

  it("turns a fault after which the cluster never recovered into an unknown run", () => {
    const fault = { ...partitionOfN1(), signs: measured(true, "cut"), healed: false, healEvidence: "members did not agree on a leader within 30000ms" };
    const result = runCheckers([faultsTookEffectChecker], recordedRun({ faults: [fault] }))["faults-took-effect"]!;
    expect(result.verdict).toBe("unknown");
    expect(result.summary).toContain("did not recover");
  });

  it("is valid when every fault bit and healed", () => {
    const fault = { ...partitionOfN1(), signs: measured(true, "cut"), healed: true };
    expect(runCheckers([faultsTookEffectChecker], recordedRun({ faults: [fault] }))["faults-took-effect"]?.verdict).toBe("valid");
  });

  it("treats a checker that throws as unknown, never valid", () => {
    const results = runCheckers([{ name: "broken", check: () => { throw new Error("boom"); } }], recordedRun({}));
    expect(results["broken"]).toMatchObject({ verdict: "unknown", summary: "checker failed: boom" });
  });

  it("gives an invalid result that listed no anomaly one made of its summary", () => {
    const results = runCheckers([{ name: "terse", check: () => ({ verdict: "invalid", summary: "it broke", anomalies: [] }) }], recordedRun({}));
    expect(results["terse"]?.anomalies).toEqual([{ kind: "terse", explanation: "it broke", ops: [], members: [] }]);
  });

  it("lets invalid beat unknown beat valid", () => {
    expect(combineVerdicts(["valid", "unknown", "invalid"])).toBe("invalid");
    expect(combineVerdicts(["valid", "unknown"])).toBe("unknown");
    expect(combineVerdicts(["valid", "valid"])).toBe("valid");
    expect(combineVerdicts([])).toBe("unknown");
  });
});
