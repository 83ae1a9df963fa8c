// The recovery-point checker on hand-made recoveries: a snapshot's revision restored exactly or not, a survivor's losses named, a recovery that did not finish.
import { describe, expect, it } from "vitest";
import { recoveryPointChecker, type RecoveryPointReport } from "../../../checkers/recovery-point.ts";
import type { Recovery } from "../../../record/recovery.ts";
import { historyOf, recordedRun, recoveryFault, s, type OpRow } from "./fixtures.ts";

/** Two keys written up to revision 4 before the snapshot (saved at 2 s), to revision 6 after it; the disaster at 4 s. */
const rows: OpRow[] = [
  { process: 1, f: "write", key: "r0", invoke: 0.5, complete: 0.6, type: "ok", value: 1, revision: 2 },
  { process: 2, f: "write", key: "r1", invoke: 1.0, complete: 1.1, type: "ok", value: 2, revision: 3 },
  { process: 1, f: "cas", key: "r0", invoke: 1.5, complete: 1.6, type: "ok", value: [1, 3], revision: 4 },
  { process: 2, f: "write", key: "r1", invoke: 2.5, complete: 2.6, type: "ok", value: 4, revision: 5 },
  { process: 1, f: "cas", key: "r0", invoke: 3.0, complete: 3.1, type: "ok", value: [3, 5], revision: 6 },
  // A cas that found another value wrote nothing; an uncertain write may or may not be anywhere.
  { process: 1, f: "cas", key: "r1", invoke: 3.2, complete: 3.3, type: "ok", value: [9, 10], result: false, revision: 6 },
  { process: 3, f: "write", key: "r1", invoke: 3.5, type: "info", value: 6 },
  // After the recovery the restored cluster counts from revision 4 again: these must not be taken for the destroyed cluster's.
  { process: 1, f: "write", key: "r0", invoke: 6.5, complete: 6.6, type: "ok", value: 7, revision: 5 },
  { process: 2, f: "read", key: "r0", invoke: 6.7, complete: 6.8, type: "ok", result: 7, revision: 5 },
];

const exact = { r0: { value: "3", modRevision: 4 }, r1: { value: "2", modRevision: 3 } };

function check(overrides: Partial<Recovery>) {
  const result = recoveryPointChecker.check(recordedRun({ history: historyOf(rows), faults: [recoveryFault(overrides)] }));
  return { result, report: (result["recoveries"] as RecoveryPointReport[])[0]! };
}

describe("recovery-point", () => {
  it("is valid for a snapshot restored exactly at its revision, listing the acknowledged writes after it", () => {
    const { result, report } = check({ restoredState: exact });
    expect(result.verdict, result.summary).toBe("valid");
    expect(report).toMatchObject({ runbook: "snapshot-restore", keysRestored: 2, present: { count: 3 }, lost: { count: 0 }, unplaced: 0 });
    expect(report.after.count).toBe(2);
    expect(report.after.first).toEqual([
      { key: "r1", value: "4", revision: 5, completeS: 2.6, process: 2, invokeIndex: 6 },
      { key: "r0", value: "5", revision: 6, completeS: 3.1, process: 1, invokeIndex: 8 },
    ]);
    expect(report.pointS).toBe(1.6);
    expect(result.summary).toBe(
      "snapshot restore of n1's snapshot at revision 4 (saved at 2.00s): 2 keys restored exactly; 3 acknowledged writes up to revision 4 present, " +
        "2 after the snapshot: not restored, by the procedure (the last acknowledged at 3.10s)",
    );
  });

  it("is invalid when the restored state holds a value no client wrote, naming the key and the value", () => {
    const { result } = check({ restoredState: { ...exact, r1: { value: "99", modRevision: 2 } } });
    expect(result.verdict).toBe("invalid");
    expect(result.summary).toMatch(/key r1 restored as 99 at revision 2: a value no client wrote/);
    expect(result.anomalies.map((anomaly) => anomaly.kind)).toEqual(["value-never-written", "lost-write"]);
    expect(result.anomalies[0]).toMatchObject({ members: ["n4", "n5", "n6"] });
  });

  it("takes the value of an uncertain write as one a client wrote, but not at the revision of another acknowledged write", () => {
    const uncertain = check({ restoredState: { ...exact, r1: { value: "6", modRevision: 4 } } }).result;
    expect(uncertain.verdict, uncertain.summary).toBe("valid");
    const swapped = check({ restoredState: { ...exact, r1: { value: "6", modRevision: 3 } } }).result;
    expect(swapped.verdict).toBe("invalid");
    expect(swapped.anomalies[0]).toMatchObject({ kind: "wrong-restored-value", explanation: "key r1 restored as 6 at revision 3, but the write at that revision was r1=2 (revision 3, acknowledged at 1.10s)", ops: [2] });
  });

  it("is invalid when an acknowledged write at or before the snapshot's revision is missing", () => {
    const { result, report } = check({ restoredState: { r0: { value: "1", modRevision: 2 } } });
    expect(result.verdict).toBe("invalid");
    expect(report.lost.first.map((write) => [write.key, write.value, write.revision])).toEqual([["r1", "2", 3], ["r0", "3", 4]]);
    expect(result.anomalies.map((anomaly) => [anomaly.kind, anomaly.ops])).toEqual([["lost-write", [2]], ["lost-write", [4]]]);
    expect(result.anomalies[1]!.explanation).toBe("key r0: r0=3 (revision 4, acknowledged at 1.60s), at or before the snapshot's revision 4, not restored: it holds 1 at revision 2");
    expect(result.anomalies[0]!.explanation).toMatch(/key r1: .* not restored: it is absent$/);
  });

  it("is invalid when a key was restored at a revision after the snapshot's", () => {
    const { result } = check({ restoredState: { ...exact, r0: { value: "5", modRevision: 6 } } });
    expect(result.verdict).toBe("invalid");
    expect(result.anomalies).toMatchObject([{ kind: "restored-after-snapshot", explanation: "key r0 restored as 5 at revision 6, after the snapshot's revision 4" }]);
  });

  it("keeps a survivor recovery valid but leads with the acknowledged writes it lost, each listed", () => {
    const { result, report } = check({ runbook: "force-new-cluster", recoveryPoint: { kind: "survivor", member: "n2", revision: 4 }, restoredState: exact });
    expect(result.verdict, result.summary).toBe("valid");
    expect(result.summary).toMatch(/^2 acknowledged writes lost by the recovery \(r1=4 \(revision 5, acknowledged at 2\.60s\), r0=5 \(revision 6, acknowledged at 3\.10s\)\); force new cluster from n2 at revision 4 kept the acknowledged writes up to 1\.60s \(2\.40s before the disaster\)/);
    expect(report.lost.first.map((write) => [write.key, write.value, write.revision, write.completeS])).toEqual([["r1", "4", 5, 2.6], ["r0", "5", 6, 3.1]]);
    expect(report).toMatchObject({ present: { count: 3 }, after: { count: 0 }, pointS: 1.6, pointBeforeDisasterS: 2.4 });
    expect(result.anomalies).toEqual([]);
  });

  it("states a survivor recovery that lost nothing as such", () => {
    const full = { r0: { value: "5", modRevision: 6 }, r1: { value: "4", modRevision: 5 } };
    const { result } = check({ runbook: "copy-data-dir", recoveryPoint: { kind: "survivor", member: "n3", revision: 6 }, restoredState: full });
    expect(result.verdict).toBe("valid");
    expect(result.summary).toMatch(/^0 acknowledged writes lost by the recovery; copy data dir from n3 at revision 6 kept the acknowledged writes up to 3\.10s/);
  });

  it("is unknown when the recovery did not finish, naming the failed step, its command and its answer", () => {
    const failed = { name: "snapshot restore n4", command: "etcdutl snapshot restore /backup/snap.db", startedAt: s(4.3), endedAt: s(4.5), ok: false, answer: "Error: snapshot file integrity check failed" };
    const { result } = check({ recoveredAt: undefined, restoredState: undefined, steps: [{ name: "destroy n1,n2,n3", command: "docker rm -f", startedAt: s(4), endedAt: s(4.3), ok: true }, failed] });
    expect(result.verdict).toBe("unknown");
    expect(result.summary).toBe(
      "snapshot restore of n1's snapshot at revision 4 (saved at 2.00s): the recovery did not finish, " +
        'step "snapshot restore n4" failed after 0.2s (`etcdutl snapshot restore /backup/snap.db`: Error: snapshot file integrity check failed)',
    );
  });

  it("reads puts and deletes as writes too: a delete is reflected by the key's absence", () => {
    const etcdRows: OpRow[] = [
      { process: 1, f: "put", key: "k", invoke: 0.5, complete: 0.6, type: "ok", value: "a", revision: 2 },
      { process: 1, f: "delete", key: "k", invoke: 1.0, complete: 1.1, type: "ok", revision: 3 },
      { process: 1, f: "put", key: "j", invoke: 1.5, complete: 1.6, type: "ok", value: "b", revision: 4 },
    ];
    const judge = (restoredState: Recovery["restoredState"]) =>
      recoveryPointChecker.check(recordedRun({ history: historyOf(etcdRows), faults: [recoveryFault({ restoredState })] }));
    expect(judge({ j: { value: "b", modRevision: 4 } }).verdict).toBe("valid");
    const undeleted = judge({ j: { value: "b", modRevision: 4 }, k: { value: "a", modRevision: 2 } });
    expect(undeleted.verdict).toBe("invalid");
    expect(undeleted.anomalies[0]!.explanation).toBe("key k: delete k (revision 3, acknowledged at 1.10s), at or before the snapshot's revision 4, not restored: it holds a at revision 2");
  });

  it("is unknown in a run without a recovery", () => {
    const result = recoveryPointChecker.check(recordedRun({ history: historyOf(rows) }));
    expect(result).toMatchObject({ verdict: "unknown", summary: "no recovery in this run" });
  });
});
