// The leader-handoff checker on hand-made runs: leaderless gaps inside each removal of the leader, with and without move-leader first.
import { describe, expect, it } from "vitest";
import { leaderHandoffChecker, type LeaderRemoval } from "../../../checkers/leader-handoff.ts";
import type { FaultRecord } from "../../../record/fault.ts";
import type { StatusSample } from "../../../record/status.ts";
import { history, recordedRun, s } from "./fixtures.ts";

function removal(step: number, fromS: number, toS: number, leader: string, handoffTo?: string): FaultRecord {
  return {
    step,
    fault: "member-remove",
    selector: "leader",
    targets: [leader],
    params: handoffTo ? { handoff: true } : {},
    start: s(fromS),
    effective: s(fromS + 0.1),
    healStart: s(toS),
    end: s(toS + 2),
    details: { removed: [{ member: leader, id: "1", wasLeader: !handoffTo }], leaderBefore: leader, ...(handoffTo ? { handoffs: [{ from: leader, to: handoffTo, elapsedMs: 40 }] } : {}) },
    signs: [],
  };
}

/** Status rounds every 200 ms from 0 to `untilS`; `leaderAt` says whom every member names at a time (undefined: none). */
function rounds(untilS: number, leaderAt: (timeS: number) => string | undefined): StatusSample[] {
  const samples: StatusSample[] = [];
  for (let round = 0; round <= untilS * 5; round++) {
    const time = round / 5;
    const leader = leaderAt(time);
    for (const member of ["n1", "n2", "n3"]) samples.push({ time: s(time), member, leader: leader ?? null });
  }
  return samples;
}

/** One acknowledged write every 100 ms, except inside the gaps given. */
function writes(untilS: number, gaps: Array<[number, number]>): ReturnType<typeof history> {
  const rows: Parameters<typeof history>[0] = [];
  for (let tenth = 0; tenth < untilS * 10; tenth++) {
    const time = tenth / 10;
    if (!gaps.some(([from, to]) => time >= from && time < to)) rows.push([0, "write", "n2", time, time + 0.01, "ok", Math.round(time * 10)]);
  }
  return history(rows);
}

describe("leader-handoff", () => {
  it("puts the two gaps side by side, and says the hand-off spared the election", () => {
    // Removed as it was at 2 s: no leader from 2.2 s to 3.6 s. Removed after move-leader at 10 s: a leader throughout.
    const statuses = rounds(16, (t) => (t < 2.2 ? "n1" : t < 3.6 ? undefined : t < 10 ? "n2" : "n3"));
    const run = recordedRun({ faults: [removal(0, 2, 7, "n1"), removal(1, 10, 15, "n2", "n3")], statuses, history: writes(16, [[2.1, 3.7]]) });
    const result = leaderHandoffChecker.check(run);
    expect(result.verdict, result.summary).toBe("valid");
    const removals = result["removals"] as LeaderRemoval[];
    expect(removals.map((entry) => [entry.member, entry.handoff, entry.leaderlessS])).toEqual([["n1", false, 1.4], ["n2", true, 0]]);
    expect(removals[0]!.longestServiceGapS).toBeCloseTo(1.7, 2);
    expect(removals[1]!.longestServiceGapS).toBeLessThan(0.2);
    expect(removals[1]).toMatchObject({ to: "n3", moveMs: 40 });
    expect(result.summary).toMatch(/^move-leader first spared the election; removing the leader as it was: n1 at 2\.0s: leaderless 1\.40s, .*; after move-leader: n2 at 10\.0s: leaderless 0\.00s/);
  });

  it("is invalid when the hand-off left the cluster leaderless longer", () => {
    const statuses = rounds(16, (t) => (t >= 10.2 && t < 12 ? undefined : t < 10 ? "n1" : "n3"));
    const result = leaderHandoffChecker.check(recordedRun({ faults: [removal(0, 2, 7, "n1"), removal(1, 10, 15, "n1", "n3")], statuses, history: writes(16, []) }));
    expect(result.verdict).toBe("invalid");
    expect(result.anomalies[0]).toMatchObject({ kind: "handoff-not-shorter", members: ["n1"] });
  });

  it("judges the service gap too: members that keep naming a removed leader hide the election from the status rounds", () => {
    // As on etcd 3.7.3: the status rounds show a leader almost throughout, but no operation is acknowledged for 1.1 s after the plain removal.
    const statuses = rounds(16, (t) => (t >= 2.2 && t < 2.4 ? undefined : t < 2.4 ? "n1" : t < 10 ? "n2" : "n3"));
    const spared = leaderHandoffChecker.check(recordedRun({ faults: [removal(0, 2, 7, "n1"), removal(1, 10, 15, "n2", "n3")], statuses, history: writes(16, [[2.0, 3.1]]) }));
    expect(spared.verdict, spared.summary).toBe("valid");
    expect(spared.summary).toMatch(/^move-leader first spared the election; removing the leader as it was: n1 at 2\.0s: leaderless 0\.20s, longest without an acknowledged operation 1\.1\ds/);
    // The hand-off's own service gap longer than the plain removal's: invalid, even with no leaderless time.
    const costly = leaderHandoffChecker.check(recordedRun({ faults: [removal(0, 2, 7, "n1"), removal(1, 10, 15, "n2", "n3")], statuses, history: writes(16, [[2.0, 2.3], [10.0, 12.0]]) }));
    expect(costly.verdict, costly.summary).toBe("invalid");
    expect(costly.anomalies[0]!.explanation).toMatch(/no operation acknowledged for 2\.\d+s/);
  });

  it("is unknown with nothing to compare: a removal of a follower does not count", () => {
    const follower = { ...removal(0, 2, 7, "n2"), details: { removed: [], leaderBefore: "n1" } };
    const result = leaderHandoffChecker.check(recordedRun({ faults: [follower, removal(1, 10, 15, "n1", "n3")], statuses: rounds(16, () => "n1"), history: writes(16, []) }));
    expect(result.verdict).toBe("unknown");
    expect(result.summary).toBe("nothing to compare: 0 removals of the leader as it was, 1 after move-leader");
  });
});
