// A put answered "database space exceeded" may have happened: etcd's quota applier applies a write that crosses the
// quota and still answers NOSPACE. Classified info, no correct etcd is judged invalid for it; recorded fail, three
// checkers would call the same correct history invalid.
import { describe, expect, it } from "vitest";
import { runCheckers } from "../../../checkers/checker.ts";
import { durabilityChecker } from "../../../checkers/durability.ts";
import { linearizabilityChecker } from "../../../checkers/linearizability-checker.ts";
import { watchChecker } from "../../../checkers/watch.ts";
import { classifyFailure } from "../../../harness/clients/outcome.ts";
import type { FaultRecord } from "../../../record/fault.ts";
import type { HistoryEntry } from "../../../record/history/entry.ts";
import { recordedRun, s } from "./fixtures.ts";

const nospace = classifyFailure(new Error("8 RESOURCE_EXHAUSTED: etcdserver: mvcc: database space exceeded"));

/**
 * A watcher on w/ from revision 1; put w/a=1 acknowledged at revision 2; put w/b=2 answered NOSPACE,
 * though the member applied it at revision 3; put w/c=3 acknowledged at revision 4; the watcher receives
 * all three; final reads after the run see w/b=2 at mod revision 3.
 */
function history(outcome: "ok" | "fail" | "info"): HistoryEntry[] {
  const get = (value: string, modRevision: number) => ({ value, modRevision, createRevision: modRevision, version: 1 });
  const rows: Array<Omit<HistoryEntry, "index">> = [
    { time: s(0.5), process: 1, type: "invoke", f: "watch", key: "w/", node: "n1", value: { fromRevision: 1, watcher: 0 } },
    { time: s(1.0), process: 2, type: "invoke", f: "put", key: "w/a", node: "n1", value: "1" },
    { time: s(1.1), process: 2, type: "ok", f: "put", key: "w/a", node: "n1", value: "1", revision: 2 },
    { time: s(1.2), process: 3, type: "invoke", f: "put", key: "w/b", node: "n2", value: "2" },
    { time: s(1.3), process: 3, type: outcome, f: "put", key: "w/b", node: "n2", value: "2", error: nospace.error },
    { time: s(1.4), process: 4, type: "invoke", f: "put", key: "w/c", node: "n1", value: "3" },
    { time: s(1.5), process: 4, type: "ok", f: "put", key: "w/c", node: "n1", value: "3", revision: 4 },
    {
      time: s(2.0),
      process: 1,
      type: "ok",
      f: "watch",
      key: "w/",
      node: "n1",
      value: {
        fromRevision: 1,
        nextRevision: 5,
        headerRevision: 4,
        events: [
          { type: "put", key: "w/a", value: "1", modRevision: 2, createRevision: 2, version: 1 },
          { type: "put", key: "w/b", value: "2", modRevision: 3, createRevision: 3, version: 1 },
          { type: "put", key: "w/c", value: "3", modRevision: 4, createRevision: 4, version: 1 },
        ],
        responses: [{ revision: 2, eventCount: 1 }, { revision: 3, eventCount: 1 }, { revision: 4, eventCount: 1 }],
      },
    },
    ...(["w/a", "w/b", "w/c"] as const).flatMap((key, index) => {
      const values = { "w/a": get("1", 2), "w/b": get("2", 3), "w/c": get("3", 4) };
      const time = 3 + index * 0.1;
      return [
        { time: s(time), process: 9, type: "invoke" as const, f: "get", key, node: "n3", value: null },
        { time: s(time + 0.05), process: 9, type: "ok" as const, f: "get", key, node: "n3", value: values[key], revision: 4 },
      ];
    }),
  ];
  return rows.map((row, index) => ({ ...row, index }));
}

/** A quota fault whose alarm every member listed at `effectiveS` (its run-clock second), healed from 2.5 s. */
function quotaFault(effectiveS: number): FaultRecord {
  return { fault: "quota", selector: "n2", targets: ["n2"], params: {}, start: s(0.2), effective: s(effectiveS), healStart: s(2.5), end: s(2.9), details: {}, step: 0, signs: [{ kind: "measured", held: true, what: "NOSPACE listed by every member" }] };
}

const check = (outcome: "ok" | "fail" | "info", faults: FaultRecord[] = []) =>
  runCheckers(
    [linearizabilityChecker("etcd", "linearizability-etcd"), durabilityChecker, watchChecker],
    recordedRun({
      history: history(outcome),
      faults,
      finalReads: { workload: "watch", from: s(3), to: s(3.3), keys: ["w/a", "w/b", "w/c"], members: ["n3"], processes: [9] },
    }),
  );

describe("a put answered NOSPACE that etcd applied", () => {
  it("is classified info: it may have happened", () => {
    expect(nospace.type).toBe("info");
  });

  it("leaves a correct history valid for linearizability, durability and watch", () => {
    const results = check(nospace.type);
    for (const [name, result] of Object.entries(results)) expect(result.verdict, `${name}: ${result.summary}`).toBe("valid");
  });

  it("would make the same correct history invalid three times over if it were recorded fail", () => {
    const results = check("fail");
    expect(results["linearizability-etcd"]?.verdict).toBe("invalid");
    expect(results["durability"]?.summary).toMatch(/the final value 2 was never written/);
    expect(results["watch"]?.summary).toMatch(/shows a write recorded as failed/);
  });
});

describe("a put answered NOSPACE while the alarm was surely in force", () => {
  // Invoked after every member listed the alarm, the put met etcd's capped applier, which refuses it
  // unapplied: the checkers count it failed, and a history showing it applied is a violation.
  it("is counted failed, so a history where etcd applied it anyway is invalid", () => {
    const results = check(nospace.type, [quotaFault(1.0)]);
    expect(results["linearizability-etcd"]?.verdict).toBe("invalid");
    expect(results["durability"]?.summary).toMatch(/the final value 2 was never written/);
    expect(results["watch"]?.verdict).toBe("invalid");
  });

  it("stays uncertain when the alarm was listed only after the put was sent", () => {
    const results = check(nospace.type, [quotaFault(1.25)]);
    for (const [name, result] of Object.entries(results)) expect(result.verdict, `${name}: ${result.summary}`).toBe("valid");
  });
});
