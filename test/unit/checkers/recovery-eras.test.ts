// The eras of a run with a disaster recovery, and the usual checkers judging each on its own: what the restore gave up is not a violation, what the recovered cluster does wrong still is.
import { describe, expect, it } from "vitest";
import type { Checker } from "../../../checkers/checker.ts";
import { durabilityChecker } from "../../../checkers/durability.ts";
import { linearizabilityChecker } from "../../../checkers/linearizability-checker.ts";
import { eraViews, perEra, restoredStateProcessBase } from "../../../checkers/recovery-eras.ts";
import { recoveryPointChecker } from "../../../checkers/recovery-point.ts";
import { buildChecker } from "../../../checkers/registry.ts";
import type { CheckResult } from "../../../record/check-result.ts";
import type { Recovery } from "../../../record/recovery.ts";
import type { StatusSample } from "../../../record/status.ts";
import { historyOf, partitionOfN1, recordedRun, recoveryFault, s, type OpRow } from "./fixtures.ts";

/** r0=1 before the snapshot of revision 2 (saved at 2 s), r0=2 acknowledged and read after it; the snapshot restored at 6 s. */
const beforeRows: OpRow[] = [
  { process: 1, f: "write", key: "r0", node: "n1", invoke: 0.5, complete: 0.6, type: "ok", value: 1, revision: 2 },
  { process: 1, f: "write", key: "r0", node: "n1", invoke: 2.5, complete: 2.6, type: "ok", value: 2, revision: 3 },
  { process: 2, f: "read", key: "r0", node: "n2", invoke: 3.0, complete: 3.1, type: "ok", result: 2, revision: 3 },
];
const restore: Partial<Recovery> = { recoveryPoint: { kind: "snapshot", member: "n1", savedAt: s(2), revision: 2 }, restoredRevision: 2, restoredState: { r0: { value: "1", modRevision: 2 }, r9: null } };

function runOf(rows: OpRow[], overrides: Partial<Recovery> = restore) {
  return recordedRun({ history: historyOf([...beforeRows, ...rows]), faults: [partitionOfN1(), recoveryFault(overrides)], members: ["n4", "n5", "n6"] });
}

describe("eraViews", () => {
  it("splits the run at the disaster and the recovery, the after era starting from the restored state", () => {
    const statuses: StatusSample[] = [1, 3.9, 5, 6.5].map((time) => ({ time: s(time), member: time < 4 ? "n1" : "n4", leader: null }));
    const run = {
      ...runOf([
        // Open when the disaster struck: uncertain in the before era.
        { process: 3, f: "write", key: "r0", node: "n3", invoke: 3.8, complete: 4.5, type: "ok", value: 3, revision: 4 },
        // Sent between the disaster and the recovery, or spanning the recovery: left out of the after era.
        { process: 4, f: "write", key: "r0", node: "n2", invoke: 4.2, complete: 4.4, type: "fail", value: 4 },
        { process: 2, f: "read", key: "r0", node: "n2", invoke: 5.9, complete: 6.1, type: "info" },
        { process: 5, f: "read", key: "r0", node: "n4", invoke: 6.2, complete: 6.3, type: "ok", result: 1, revision: 2 },
      ]),
      statuses,
    };
    const views = eraViews(run)!;
    expect(views.recovery.runbook).toBe("snapshot-restore");
    const { before, after } = views;
    expect(before.history.map((entry) => [entry.index, entry.process, entry.type, entry.time])).toEqual([
      [0, 1, "invoke", s(0.5)],
      [1, 1, "ok", s(0.6)],
      [2, 1, "invoke", s(2.5)],
      [3, 1, "ok", s(2.6)],
      [4, 2, "invoke", s(3)],
      [5, 2, "ok", s(3.1)],
      [6, 3, "invoke", s(3.8)],
    ]);
    expect(before.statuses.map((sample) => sample.time)).toEqual([s(1), s(3.9)]);
    expect(before.faults.map((fault) => fault.fault)).toEqual(["partition"]);
    expect(before.members).toEqual(["n1", "n2", "n3"]);
    expect(before.probes).toEqual({});
    expect(after!.history).toEqual([
      { index: 0, time: s(6) - 2, process: restoredStateProcessBase, type: "invoke", f: "write", key: "r0", value: 1 },
      { index: 1, time: s(6) - 1, process: restoredStateProcessBase, type: "ok", f: "write", key: "r0", value: 1, revision: 2 },
      { index: 2, time: s(6.2), process: 5, type: "invoke", f: "read", key: "r0", node: "n4" },
      { index: 3, time: s(6.3), process: 5, type: "ok", f: "read", key: "r0", node: "n4", value: 1, revision: 2 },
    ]);
    expect(after!.statuses.map((sample) => sample.time)).toEqual([s(6.5)]);
    expect(after!.faults).toEqual([]);
    expect(after!.members).toEqual(["n4", "n5", "n6"]);
  });

  it("keeps a restored value that is not an integer as the string it is", () => {
    const after = eraViews(runOf([], { ...restore, restoredState: { b: { value: "x1", modRevision: 3 }, a: { value: "12", modRevision: 2 } } }))!.after!;
    expect(after.history.filter((entry) => entry.type === "ok").map((entry) => [entry.process, entry.key, entry.value])).toEqual([
      [restoredStateProcessBase, "a", 12],
      [restoredStateProcessBase + 1, "b", "x1"],
    ]);
  });

  it("has no after era when the clients were never pointed at a recovered cluster, and no eras without a recovery", () => {
    expect(eraViews(runOf([], { ...restore, recoveredAt: undefined }))!.after).toBeUndefined();
    expect(eraViews(recordedRun({ history: historyOf(beforeRows) }))).toBeUndefined();
  });
});

describe("perEra", () => {
  it("lets linearizability judge each era on its own: a write the snapshot left behind is not a violation", () => {
    const run = runOf([{ process: 2, f: "read", key: "r0", node: "n4", invoke: 6.5, complete: 6.6, type: "ok", result: 1, revision: 2 }]);
    const whole = linearizabilityChecker("register").check(run);
    expect(whole.verdict, whole.summary).toBe("invalid");
    const wrapped = buildChecker({ name: "linearizability" });
    expect(wrapped.name).toBe("linearizability");
    const result = wrapped.check(run);
    expect(result.verdict, result.summary).toBe("valid");
    expect(result.summary).toMatch(/^before the disaster: 3 operations .*; after the recovery: 2 operations /);
    const eras = result["eras"] as { before: CheckResult; after: CheckResult };
    expect([eras.before.verdict, eras.after.verdict]).toEqual(["valid", "valid"]);
  });

  it("still finds a violation inside the after era, its operations named by their place in the run's history", () => {
    const run = runOf([
      { process: 1, f: "write", key: "r0", node: "n4", invoke: 7.0, complete: 7.1, type: "ok", value: 9, revision: 3 },
      { process: 2, f: "read", key: "r0", node: "n5", invoke: 7.5, complete: 7.6, type: "ok", result: 1, revision: 3 },
    ]);
    const result = buildChecker({ name: "linearizability" }).check(run);
    expect(result.verdict).toBe("invalid");
    expect(result.summary).toMatch(/^before the disaster: .*; after the recovery: key r0: read\(\) -> 1 by process 2 on n5 at 7\.5s cannot be placed/);
    const stale = run.history.find((entry) => entry.process === 2 && entry.type === "invoke" && entry.time === s(7.5))!;
    expect(result.anomalies).toHaveLength(1);
    expect(result.anomalies[0]).toMatchObject({ kind: "not-linearizable", ops: [stale.index], members: ["n5"] });
    const prefix = result.anomalies[0]!.context!.find((group) => group.label.startsWith("the linearized prefix"))!;
    // The restored state's write is not in the run's history; the acknowledged write of 9 is, at its own index.
    expect(prefix.ops).toEqual([run.history.find((entry) => entry.type === "invoke" && entry.time === s(7))!.index]);
  });

  it("judges only the before era when the recovery did not finish", () => {
    const run = runOf([{ process: 2, f: "read", key: "r0", node: "n4", invoke: 6.5, complete: 6.6, type: "ok", result: 1 }], { ...restore, recoveredAt: undefined, restoredState: undefined });
    const result = buildChecker({ name: "linearizability" }).check(run);
    expect(result.verdict, result.summary).toBe("valid");
    expect(result.summary).toMatch(/; after the recovery: not judged, the clients were never pointed at a recovered cluster$/);
    expect(Object.keys(result["eras"] as object)).toEqual(["before"]);
  });

  it("lets durability judge the final reads against the restored state, and skips them before the disaster", () => {
    const finalReads = { workload: "register", from: s(8), to: s(8.5), keys: ["r0"], members: ["n4", "n5", "n6"], processes: [90, 91, 92] };
    const reads: OpRow[] = ["n4", "n5", "n6"].map((node, i) => ({ process: 90 + i, f: "read", key: "r0", node, invoke: 8 + i / 10, complete: 8.05 + i / 10, type: "ok", result: 1, revision: 2 }));
    const run = { ...runOf(reads), probes: { finalReads } };
    expect(buildChecker({ name: "durability" }).check(run).verdict).toBe("valid");
    const eras = buildChecker({ name: "durability" }).check(run)["eras"] as { before: CheckResult; after: CheckResult };
    expect(eras.before.summary).toMatch(/^nothing to check: the final reads were made of the recovered cluster/);
    expect(eras.after.summary).toMatch(/^1 acknowledged writes/);
    // Over the whole run, the write the snapshot left behind looks lost.
    expect(durabilityChecker.check(run).verdict).toBe("invalid");
  });

  it("passes a run without a recovery to the checker as it is, and leaves the whole-run checkers unwrapped", () => {
    const seen: unknown[] = [];
    const spy: Checker = { name: "spy", check: (run) => (seen.push(run), { verdict: "valid", summary: "ok", anomalies: [] }) };
    const plain = recordedRun({ history: historyOf(beforeRows) });
    expect(perEra(spy).check(plain)).toEqual({ verdict: "valid", summary: "ok", anomalies: [] });
    expect(seen).toEqual([plain]);
    expect(buildChecker({ name: "recovery-point" })).toBe(recoveryPointChecker);
  });

  it("splits the after era again at a second recovery", () => {
    const second = recoveryFault({ ...restore, disasterAt: s(8), recoveredAt: s(10), restoredRevision: 3, restoredState: { r0: { value: "5", modRevision: 3 } } });
    const run = {
      ...runOf([
        { process: 2, f: "write", key: "r0", node: "n4", invoke: 6.5, complete: 6.6, type: "ok", value: 5, revision: 3 },
        { process: 2, f: "write", key: "r0", node: "n4", invoke: 7.0, complete: 7.1, type: "ok", value: 6, revision: 4 },
        { process: 3, f: "read", key: "r0", node: "n5", invoke: 10.5, complete: 10.6, type: "ok", result: 5, revision: 3 },
      ]),
    };
    run.faults.push({ ...second, step: 1 });
    expect(linearizabilityChecker("register").check(run).verdict).toBe("invalid");
    const result = buildChecker({ name: "linearizability" }).check(run);
    expect(result.verdict, result.summary).toBe("valid");
    expect(result.summary).toMatch(/^before the disaster: .*; after the recovery: before the disaster: 3 operations .*; after the recovery: 2 operations/);
  });

  it("turns an exception inside one era into that era's unknown, keeping the other's verdict", () => {
    let calls = 0;
    const flaky: Checker = {
      name: "flaky",
      check: () => {
        if (calls++ === 0) throw new Error("boom");
        return { verdict: "invalid", summary: "bad", anomalies: [{ kind: "bad", explanation: "bad", ops: [0, 1], members: [] }] };
      },
    };
    const result = perEra(flaky).check(runOf([{ process: 2, f: "read", key: "r0", node: "n4", invoke: 6.5, complete: 6.6, type: "ok", result: 1 }]));
    expect(result.verdict).toBe("invalid");
    expect(result.summary).toBe("before the disaster: checker failed: boom; after the recovery: bad");
    // Era indexes 0 and 1 are the restored state's write, which the run's history does not hold.
    expect(result.anomalies).toMatchObject([{ kind: "bad", ops: [] }]);
  });
});
