// The quorum-window checker on hand-made runs: a one-member cluster grown by a member started late; nothing may be committed between the add and the start.
import { describe, expect, it } from "vitest";
import { quorumWindowChecker, type QuorumWindow } from "../../../checkers/quorum-window.ts";
import type { FaultRecord } from "../../../record/fault.ts";
import { history, recordedRun, s } from "./fixtures.ts";

/** A resize from `from` members at 3 s: each add committed at +0.1 s (then +4 s), its member started 3 s later. */
function growth(from: number, to: number): FaultRecord {
  const added = Array.from({ length: to - from }, (_, index) => ({ member: `n${from + index + 1}`, addedAfterMs: 100 + index * 4000, startedAfterMs: 3100 + index * 4000 }));
  return { step: 0, fault: "membership-resize", selector: "all", targets: [], params: { to, startDelayMs: 3000 }, start: s(3), effective: s(11), healStart: s(11), end: s(11), details: { from, to, added, removed: [] }, signs: [] };
}

describe("quorum-window", () => {
  it("measures the window after the first add from one member, and finds nothing committed in it", () => {
    // Writes acknowledged before 3.1 s, none invoked in 3.1-6.1 s completes before 6.1 s, writes again after.
    const run = recordedRun({
      faults: [growth(1, 3)],
      history: history([
        [0, "write", "n1", 2.9, 3.05, "ok", 1],
        [1, "write", "n1", 3.5, 6.4, "ok", 2],
        [2, "write", "n1", 4, 5, "info", 3],
        [3, "read", "n1", 4, 4.01, "ok", 1],
        [0, "write", "n1", 8, 8.01, "ok", 4],
      ]),
    });
    const result = quorumWindowChecker.check(run);
    expect(result.verdict, result.summary).toBe("valid");
    const windows = result["windows"] as QuorumWindow[];
    // Only the first add left the voters below a quorum (1 of 2); the second added a third to two running.
    expect(windows).toEqual([{ step: 0, member: "n2", votersBefore: 1, fromS: 3.1, toS: 6.1, windowS: 3, writesAcknowledged: 0, writesInvoked: 2, leaderlessS: 0 }]);
    expect(result.summary).toBe("adding n2 to 1 member: no quorum for 3.0s (3.1-6.1s), 2 writes invoked in it, 0 acknowledged in it, leaderless 0.0s");
  });

  it("is invalid when a write invoked in the window was acknowledged before the new member started", () => {
    const run = recordedRun({ faults: [growth(1, 2)], history: history([[1, "write", "n1", 4, 4.2, "ok", 2]]) });
    const result = quorumWindowChecker.check(run);
    expect(result.verdict).toBe("invalid");
    expect(result.anomalies[0]).toMatchObject({ kind: "committed-without-quorum", members: ["n2"] });
  });

  it("is unknown when no add left the cluster below its quorum", () => {
    const result = quorumWindowChecker.check(recordedRun({ faults: [growth(3, 5)], history: [] }));
    expect(result.verdict).toBe("unknown");
  });
});
