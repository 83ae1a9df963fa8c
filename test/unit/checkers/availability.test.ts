// availability: acknowledged writes per phase, recovery after heals, elections from samples, judged against a scenario's thresholds.
import { describe, expect, it } from "vitest";
import { availabilityChecker, electionsOf, type FaultAvailability, type PhaseFigures } from "../../../checkers/availability.ts";
import type { FaultRecord } from "../../../record/fault.ts";
import type { StatusSample } from "../../../record/status.ts";
import { availability } from "../../../scenarios/availability-thresholds.ts";
import { historyOf, partitionOfN1, recordedRun, s, type OpRow } from "./fixtures.ts";

let nextProcess = 0;

/** Acknowledged writes through `node`, one every `everyS` seconds from `fromS` to before `toS`, each taking 10 ms. */
function writes(node: string, fromS: number, toS: number, everyS: number, type: "ok" | "info" = "ok"): OpRow[] {
  const rows: OpRow[] = [];
  for (let at = fromS; at < toS - 1e-9; at += everyS) rows.push({ process: nextProcess++, f: "write", key: "r0", node, invoke: at, complete: at + 0.01, type, value: nextProcess });
  return rows;
}

const killOf = (targets: string[], fromS: number, toS: number): FaultRecord => ({
  fault: "kill",
  selector: targets.join(","),
  targets,
  params: {},
  start: s(fromS),
  effective: s(fromS + 0.1),
  healStart: s(toS - 1),
  end: s(toS),
  details: {},
  step: 0,
  signs: [],
});

const expectations = availability(["partition", "kill"]);
const check = (rows: OpRow[], faults: FaultRecord[] = [partitionOfN1()], statuses: StatusSample[] = []) =>
  availabilityChecker(expectations).check(recordedRun({ history: historyOf(rows), faults, statuses }));
const faultsOf = (result: { [key: string]: unknown }) => result["faults"] as FaultAvailability[];

describe("availability", () => {
  // Partition of n1 from 2 s to 8 s (fixtures): n2 writes 10/s before, 2/s during, 10/s after.
  const healthy = [...writes("n2", 0, 2, 0.1), ...writes("n2", 2, 8, 0.5), ...writes("n1", 3, 8, 0.5, "info"), ...writes("n2", 8, 12, 0.1)];

  it("reports the rate of each phase and the time from heal to the first write, and holds them to the thresholds", () => {
    const result = check(healthy);
    expect(result.verdict).toBe("valid");
    expect(result["before"]).toMatchObject({ durationS: 2, writes: 20, writesPerSecond: 10 });
    const [partition] = faultsOf(result);
    expect(partition).toMatchObject({
      fault: "partition",
      during: { serving: ["n2", "n3"], servingWrites: 12, servingWritesOffered: 13, servingWritesPerSecond: 2, uncertain: 10 },
      recovery: { firstWriteS: expect.closeTo(0.01, 5) },
      expected: { minWritesPerSecondDuring: 1, maxRecoveryS: 10 },
    });
    expect(partition!.after.writesPerSecond).toBeCloseTo(10, 0);
    expect(partition!.recovery.servedThroughTargets).toEqual({ reads: 0, writes: 0 });
    expect(result.summary).toMatch(/^10\.0 writes\/s before the faults; partition of n1: 2\.0 writes\/s on n2,n3, first write 0\.0s after the heal, then 0 reads and 0 writes through n1/);
  });

  it("counts what the members hit served between the heal and the next fault", () => {
    const reads: OpRow[] = [8.5, 9, 13].map((at) => ({ process: nextProcess++, f: "read", key: "r0", node: "n1", invoke: at, complete: at + 0.01, type: "ok", value: null }));
    const second = { ...partitionOfN1(), step: 1, start: s(12), effective: s(12.1), healStart: s(13.5), end: s(14) };
    const result = check([...healthy, ...writes("n1", 8.2, 9, 0.5), ...reads], [partitionOfN1(), second]);
    expect(faultsOf(result).map((fault) => fault.recovery.servedThroughTargets)).toEqual([{ reads: 2, writes: 2 }, { reads: 0, writes: 0 }]);
  });

  it("is invalid with the figures when the majority stopped serving during the partition; the minority's writes do not count", () => {
    const rows = [...writes("n2", 0, 2, 0.1), ...writes("n2", 2, 8, 3), ...writes("n1", 2, 8, 0.1), ...writes("n2", 8, 12, 0.1)];
    const result = check(rows);
    expect(result.verdict).toBe("invalid");
    expect(result.summary).toBe("during partition of n1 (2.0-8.0s) n2,n3 acknowledged 0.3 writes/s, at least 1 expected");
    expect(faultsOf(result)[0]!.during.longestGapS).toBeCloseTo(3, 1);
  });

  it("cannot judge the majority's rate when no client sent it a write during the partition: unknown, not invalid", () => {
    // Every client on n1, the member cut off: the majority's silence says nothing about it.
    const result = check([...writes("n1", 0, 2, 0.1), ...writes("n1", 2, 8, 1, "info"), ...writes("n1", 8, 12, 0.1)]);
    expect(result.verdict).toBe("unknown");
    expect(result.summary).toBe("not observed: no client sent a write to n2,n3 during partition of n1 (2.0-8.0s)");
    expect(faultsOf(result)[0]!.during).toMatchObject({ servingWrites: 0, servingWritesOffered: 0 });
  });

  it("is invalid when writes resumed later than the threshold after a heal, or never in the time left", () => {
    const kill = killOf(["n1", "n2"], 2, 8);
    const late = check([...writes("n3", 0, 2, 0.1), ...writes("n3", 20, 22, 0.1)], [kill]);
    expect(late.verdict).toBe("invalid");
    expect(late.summary).toMatch(/after kill of n1,n2 \(2\.0-8\.0s\) the first write was acknowledged 12\.0s after the heal, at most 10s expected/);
    const never = check([...writes("n3", 0, 2, 0.1), { process: 999, f: "read", key: "r0", node: "n3", invoke: 19, complete: 19.5, type: "ok", value: 1 }], [kill]);
    expect(never.summary).toMatch(/no write was acknowledged in the 11\.5s left, at most 10s expected/);
  });

  it("is unknown when the workload ended before writes could have resumed within the threshold", () => {
    const result = check([...writes("n3", 0, 2, 0.1), { process: 999, f: "read", key: "r0", node: "n3", invoke: 9, complete: 9.5, type: "ok", value: 1 }], [killOf(["n1", "n2"], 2, 8)]);
    expect(result.verdict).toBe("unknown");
    expect(result.summary).toMatch(/the workload ended 1\.5s after the heal/);
  });

  it("expects no writes during a kill that left no quorum, and counts the survivors' when one did", () => {
    const majority = check([...writes("n3", 0, 2, 0.1), ...writes("n3", 8, 10, 0.1)], [killOf(["n1", "n2"], 2, 8)]);
    expect(majority.verdict).toBe("valid");
    expect(faultsOf(majority)[0]!.during.serving).toBeNull();
    const minority = check([...writes("n3", 0, 2, 0.1), ...writes("n1", 2, 8, 0.1), ...writes("n3", 8, 10, 0.1)], [killOf(["n1"], 2, 8)]);
    expect(minority.verdict).toBe("invalid");
    expect(faultsOf(minority)[0]!.during).toMatchObject({ serving: ["n2", "n3"], servingWrites: 0 });
  });

  it("holds the cluster to a rate before the first fault, and only reports figures when the scenario sets no thresholds", () => {
    const rows = [...writes("n2", 0, 1, 1), ...writes("n2", 2, 12, 0.2)];
    const slow = check(rows);
    expect(slow.verdict).toBe("invalid");
    expect(slow.summary).toMatch(/before the first fault 0\.5 writes\/s were acknowledged, at least 1 expected/);
    const untested = availabilityChecker({}).check(recordedRun({ history: historyOf(rows) }));
    expect(untested.verdict).toBe("valid");
    expect(untested.summary).toMatch(/^figures only \(no thresholds\)/);
  });

  it("leaves the final reads out of the workload's phases", () => {
    const finals: OpRow[] = [{ process: 500, f: "write", key: "r0", node: "n1", invoke: 60, complete: 60.1, type: "ok", value: 1 }];
    const run = recordedRun({
      history: historyOf([...healthy, ...finals]),
      finalReads: { workload: "register", from: s(60), to: s(61), keys: ["r0"], members: ["n1"], processes: [500] },
    });
    expect((availabilityChecker(expectations).check(run)["faults"] as FaultAvailability[])[0]!.after.toS).toBeCloseTo(11.91, 2);
  });
});

describe("elections from status samples", () => {
  /** One round at `atS` in which each member names the leader given (null: none; "error": no answer). */
  const round = (atS: number, leaders: Array<string | null | "error">): StatusSample[] =>
    leaders.map((leader, index) => (leader === "error" ? { time: s(atS), member: `n${index + 1}`, error: "deadline exceeded" } : { time: s(atS), member: `n${index + 1}`, leader, raftIndex: 1 }));

  const statuses = [
    ...round(0, ["n1", "n1", "n1"]),
    ...round(3, ["error", "n1", "n1"]),
    ...round(3.2, ["error", null, "n1"]),
    ...round(3.4, ["error", null, null]),
    ...round(4.2, ["error", "n2", "n2"]),
    ...round(9, ["n2", "n2", "n2"]),
  ];

  it("counts a leader change and how long no quorum agreed on a leader", () => {
    expect(electionsOf(statuses)).toEqual({
      leaderChanges: [{ atS: 4.2, from: "n1", to: "n2" }],
      leaderlessSpells: [{ fromS: 3.2, toS: 4.2, durationS: expect.closeTo(1, 5) }],
      longestLeaderlessS: expect.closeTo(1, 5),
    });
  });

  it("puts the leaderless time into the phase it fell in", () => {
    const result = check(
      [...writes("n2", 0, 2, 0.1), ...writes("n2", 2, 8, 0.5), ...writes("n2", 8, 12, 0.1)],
      [partitionOfN1()],
      statuses,
    );
    expect((result["before"] as PhaseFigures).leaderlessS).toBe(0);
    expect(faultsOf(result)[0]!.during.leaderlessS).toBeCloseTo(1, 5);
    expect(result.summary).toMatch(/1 leader change, longest 1\.0s without a leader agreed by a quorum$/);
  });
});
