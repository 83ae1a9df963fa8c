// The quota-alarm checker: no write that stores data acknowledged while NOSPACE was raised; reads served; writes after.
import { describe, expect, it } from "vitest";
import { quotaAlarmChecker, storesData } from "../../../checkers/quota-alarm.ts";
import type { HistoryEntry } from "../../../record/history/entry.ts";
import type { FaultRecord } from "../../../record/fault.ts";
import { history, recordedRun, s } from "./fixtures.ts";

const nospace = "8 RESOURCE_EXHAUSTED: etcdserver: mvcc: database space exceeded";

function quotaFault(tookEffect = true): FaultRecord {
  return { fault: "quota", selector: "n1", targets: ["n1"], params: {}, start: s(1), effective: s(2), healStart: s(6), end: s(7), details: {}, step: 0, signs: [{ kind: "measured", held: tookEffect, what: "NOSPACE raised" }] };
}

/** A run of the register workload: refused writes and served reads inside 2-6s, a write after the heal at 7s. */
function run(extra: Array<Parameters<typeof history>[0][number]> = []): HistoryEntry[] {
  const entries = history([
    [1, "write", "n1", 1.0, 1.1, "ok", 1],
    [2, "read", "n2", 3.0, 3.1, "ok", 1],
    [3, "write", "n3", 3.0, 3.2, "info", 2],
    [4, "write", "n1", 8.0, 8.1, "ok", 3],
    ...extra,
  ]);
  // The fixture has no error field: NOSPACE answers say so (info: etcd may have applied the write).
  return entries.map((entry) => (entry.type === "info" ? { ...entry, error: nospace } : entry));
}

describe("quota-alarm checker", () => {
  it("is valid when puts were refused, reads served, and writes came back after the runbook", () => {
    const result = quotaAlarmChecker.check(recordedRun({ faults: [quotaFault()], history: run() }));
    expect(result.verdict).toBe("valid");
    expect(result.summary).toBe("while NOSPACE was raised 2.0-6.0s: 1 writes refused unapplied, none acknowledged, 1 reads served; 1 writes after the runbook");
  });

  it("counts the NOSPACE answers left uncertain: a write sent before the alarm was listed", () => {
    const result = quotaAlarmChecker.check(recordedRun({ faults: [quotaFault()], history: run([[6, "write", "n1", 1.9, 2.5, "info", 7]]) }));
    expect(result.verdict).toBe("valid");
    expect(result.summary).toMatch(/; 1 more answered NOSPACE around the alarm, uncertain \(sent before the alarm was listed, or answered after the disarm\)$/);
  });

  it("is invalid when a write invoked after the alarm was acknowledged before the heal", () => {
    const result = quotaAlarmChecker.check(recordedRun({ faults: [quotaFault()], history: run([[5, "cas", "n2", 4.0, 4.1, "ok", [1, 2]]]) }));
    expect(result.verdict).toBe("invalid");
    expect(result.summary).toMatch(/acknowledged 1 writes while NOSPACE was raised: cas r0 by process 5 on n2 at 4.00s/);
  });

  it("does not blame writes invoked before the alarm, the fault's own writes, or deletes", () => {
    const own: HistoryEntry[] = [
      { index: 0, time: s(3), process: 9, type: "invoke", f: "put", key: "__harness/quota/probe", value: "x" },
      { index: 0, time: s(3.1), process: 9, type: "ok", f: "put", key: "__harness/quota/probe", value: "x" },
    ];
    const entries = [...run([[6, "write", "n1", 1.9, 2.5, "ok", 7], [7, "delete", "n2", 3.0, 3.1, "ok", { deleted: 1 }]]), ...own]
      .sort((a, b) => a.time - b.time)
      .map((entry, index) => ({ ...entry, index }));
    expect(quotaAlarmChecker.check(recordedRun({ faults: [quotaFault()], history: entries })).verdict).toBe("valid");
  });

  it("is unknown when nothing shows the alarm's behaviour", () => {
    expect(quotaAlarmChecker.check(recordedRun({ faults: [quotaFault(false)], history: run() })).summary).toMatch(/no quota fault raised NOSPACE/);
    const noRefusals = history([[2, "read", "n2", 3.0, 3.1, "ok", 1], [4, "write", "n1", 8.0, 8.1, "ok", 3]]);
    const result = quotaAlarmChecker.check(recordedRun({ faults: [quotaFault()], history: noRefusals }));
    expect(result.verdict).toBe("unknown");
    expect(result.summary).toMatch(/no client write was refused/);
  });

  it("counts as storing data what etcd charges against the quota", () => {
    const op = (f: string, value?: unknown) => ({ f, invoke: { index: 0, time: 0, process: 1, type: "invoke" as const, f, value } });
    expect(storesData(op("write"))).toBe(true);
    expect(storesData(op("acquire"))).toBe(true);
    expect(storesData(op("delete"))).toBe(false);
    expect(storesData(op("txn", { compare: [], success: [{ f: "get" }], failure: [{ f: "put" }] }))).toBe(true);
    expect(storesData(op("txn", { compare: [], success: [{ f: "delete" }], failure: [] }))).toBe(false);
  });
});
