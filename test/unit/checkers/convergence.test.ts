// convergence: same revision and HashKV on every member after heal, or the members that disagree.
import { describe, expect, it } from "vitest";
import { convergenceChecker } from "../../../checkers/convergence.ts";
import { recordedRun } from "./fixtures.ts";

describe("convergence", () => {
  it("is valid when every member has the same revision and HashKV", () => {
    const convergence = { revisions: { n1: 9, n2: 9, n3: 9 }, revision: 9, hashes: { n1: 5, n2: 5, n3: 5 } };
    expect(convergenceChecker.check(recordedRun({ convergence })).verdict).toBe("valid");
  });

  it("names the members that disagree", () => {
    const convergence = { revisions: { n1: 9, n2: 9, n3: 9 }, revision: 9, hashes: { n1: 5, n2: 6, n3: 5 } };
    const result = convergenceChecker.check(recordedRun({ convergence }));
    expect(result.verdict).toBe("invalid");
    expect(result.summary).toContain("n2=6");
  });

  it("is invalid when revisions never met, unknown when a member did not answer", () => {
    const apart = { revisions: { n1: 8, n2: 9, n3: 9 }, error: "members did not reach the same revision within 30000ms" };
    expect(convergenceChecker.check(recordedRun({ convergence: apart })).verdict).toBe("invalid");
    const silent = { revisions: { n1: "deadline exceeded", n2: 9, n3: 9 } };
    expect(convergenceChecker.check(recordedRun({ convergence: silent })).verdict).toBe("unknown");
    expect(convergenceChecker.check(recordedRun({})).verdict).toBe("unknown");
  });

  it("says when members stuck apart applied the same raft log: writes were skipped, not late", () => {
    // The probe of a real etcd 3.5.2 run of etcd-13766 (README, "A known etcd bug found again").
    const skipped = {
      revisions: { n1: 57761, n2: 57760, n3: 57761 },
      appliedIndexes: { n1: 97309, n2: 97309, n3: 97309 },
      revision: 57760,
      hashes: { n1: 3797054779, n2: 975221121, n3: 3797054779 },
      error: "members did not reach the same revision within 30000ms",
    };
    const result = convergenceChecker.check(recordedRun({ convergence: skipped }));
    expect(result.verdict).toBe("invalid");
    expect(result.summary).toContain("every member had applied raft entry 97309, so they applied the same log to different effect");
    expect(result.summary).toContain("HashKV at revision 57760: n1=3797054779, n2=975221121, n3=3797054779");
    const lagging = { ...skipped, appliedIndexes: { n1: 97309, n2: 97290, n3: 97309 } };
    expect(convergenceChecker.check(recordedRun({ convergence: lagging })).summary).not.toContain("same log");
  });
});
