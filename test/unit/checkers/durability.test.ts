// durability: the final reads against the acknowledged writes of each workload's encoding, with lost writes named.
import { describe, expect, it } from "vitest";
import type { FinalReadsProbe } from "../../../record/probes.ts";
import { durabilityChecker, type DurabilityViolation } from "../../../checkers/durability.ts";
import type { FaultRecord } from "../../../record/fault.ts";
import { historyOf, recordedRun, s, type OpRow } from "./fixtures.ts";

const members = ["n1", "n2", "n3"];
const finalProcesses = [100, 101, 102];

/** Final reads of `key` through every member at 30s, each returning `values[i]` (register `read` or etcd `get`). */
function finalReads(key: string, values: unknown[], f: "read" | "get" = "read"): OpRow[] {
  return values.map((value, index) => ({ process: finalProcesses[index]!, f, key, node: members[index]!, invoke: 30, complete: 30.01, type: "ok" as const, ...(f === "get" ? { value: null, result: value } : { result: value }) }));
}

function probe(workload: string, keys: string[]): FinalReadsProbe {
  return { workload, from: s(30), to: s(30.1), keys, members, processes: finalProcesses };
}

const killN1: FaultRecord = { fault: "kill", selector: "leader", targets: ["n1"], params: {}, start: s(5), effective: s(5.1), healStart: s(9), end: s(10), details: {}, step: 0, signs: [] };

function check(workload: string, keys: string[], rows: OpRow[]) {
  return durabilityChecker.check(recordedRun({ history: historyOf(rows), faults: [killN1], finalReads: probe(workload, keys) }));
}

const violations = (result: { [key: string]: unknown }) => result["violations"] as DurabilityViolation[];

describe("durability: register", () => {
  it("is valid when the final value is the last acknowledged write, or one of writes that overlapped", () => {
    const writes: OpRow[] = [
      { process: 1, f: "write", key: "r0", node: "n1", invoke: 1, complete: 1.1, type: "ok", value: 1 },
      { process: 2, f: "write", key: "r0", node: "n2", invoke: 2, complete: 2.5, type: "ok", value: 2 },
      { process: 3, f: "cas", key: "r0", node: "n3", invoke: 2.1, complete: 2.4, type: "ok", value: [1, 3] },
    ];
    expect(check("register", ["r0"], [...writes, ...finalReads("r0", [2, 2, 2])]).verdict).toBe("valid");
    expect(check("register", ["r0"], [...writes, ...finalReads("r0", [3, 3, 3])]).verdict).toBe("valid");
  });

  it("names a lost acknowledged write: process, key, value, times and the faults around it", () => {
    const rows: OpRow[] = [
      { process: 1, f: "write", key: "r0", node: "n2", invoke: 1, complete: 1.1, type: "ok", value: 1 },
      { process: 2, f: "write", key: "r0", node: "n1", invoke: 4, complete: 4.2, type: "ok", value: 2 },
      ...finalReads("r0", [1, 1, 1]),
    ];
    const result = check("register", ["r0"], rows);
    expect(result.verdict).toBe("invalid");
    expect(violations(result)).toMatchObject([
      {
        key: "r0",
        members,
        finalValue: "1",
        lost: [{ process: 2, f: "write", key: "r0", value: "2", node: "n1", outcome: "acknowledged", invokeS: 4, completeS: 4.2, faultsDuring: [], faultAfter: "kill of n1 5.0-10.0s" }],
      },
    ]);
    expect(result.summary).toMatch(/1 acknowledged writes lost; key r0 through n1,n2,n3: final value 1 \(written by acknowledged write r0=1 .*\) hides 1 acknowledged writes invoked after it completed: acknowledged write r0=2 by process 2 on n1 at 4\.00-4\.20s \(before kill of n1 5\.0-10\.0s\)/);
  });

  it("lets an uncertain write be the final value, as it may take effect at any time, and ignores failed ones", () => {
    const rows: OpRow[] = [
      { process: 1, f: "write", key: "r0", node: "n1", invoke: 1, type: "info", value: 1 },
      { process: 2, f: "write", key: "r0", node: "n2", invoke: 4, complete: 4.2, type: "ok", value: 2 },
      { process: 3, f: "cas", key: "r0", node: "n2", invoke: 5, complete: 5.2, type: "fail", value: [2, 3] },
    ];
    expect(check("register", ["r0"], [...rows, ...finalReads("r0", [1, 1, 1])]).verdict).toBe("valid");
    const failed = check("register", ["r0"], [...rows, ...finalReads("r0", [3, 3, 3])]);
    expect(failed.verdict).toBe("invalid");
    expect(violations(failed)[0]!.problem).toBe("the final value 3 was never written");
  });

  it("judges each member's answer: one member holding an older value is named alone", () => {
    const rows: OpRow[] = [
      { process: 1, f: "write", key: "r0", node: "n1", invoke: 1, complete: 1.1, type: "ok", value: 1 },
      { process: 2, f: "write", key: "r0", node: "n1", invoke: 2, complete: 2.1, type: "ok", value: 2 },
      ...finalReads("r0", [2, 1, 2]),
    ];
    const result = check("register", ["r0"], rows);
    expect(violations(result)).toMatchObject([{ members: ["n2"], finalValue: "1", lost: [{ value: "2" }] }]);
  });

  it("names every acknowledged write as lost when the key is absent at the end", () => {
    const rows: OpRow[] = [{ process: 1, f: "write", key: "r0", node: "n1", invoke: 1, complete: 1.1, type: "ok", value: 1 }, ...finalReads("r0", [null, null, null])];
    const result = check("register", ["r0"], rows);
    expect(result.verdict).toBe("invalid");
    expect(violations(result)[0]!.problem).toMatch(/final value absent \(the key's initial absence\) hides 1 acknowledged writes/);
  });
});

describe("durability: etcd KV encodings (register by mod revision, kubernetes, watch)", () => {
  const object = (generation: number) => ({ value: JSON.stringify({ name: "pod-0", generation }), modRevision: 9 });
  const key = "/registry/pods/default/pod-0";
  const create: OpRow = {
    process: 1,
    f: "txn",
    node: "n1",
    invoke: 1,
    complete: 1.1,
    type: "ok",
    value: { compare: [{ key, target: "create", op: "=", value: 0 }], success: [{ f: "put", key, value: object(1).value }], failure: [{ f: "get", key }] },
    result: { succeeded: true, results: [null] },
  };
  const update = (process: number, at: number, generation: number, succeeded: boolean | undefined): OpRow => ({
    process,
    f: "txn",
    node: "n2",
    invoke: at,
    complete: succeeded === undefined ? undefined : at + 0.1,
    type: succeeded === undefined ? "info" : "ok",
    value: { compare: [{ key, target: "mod", op: "=", value: 2 }], success: [{ f: "put", key, value: object(generation).value }], failure: [{ f: "get", key }] },
    ...(succeeded === undefined ? {} : { result: { succeeded, results: [succeeded ? null : object(1)] } }),
  });
  const remove = (process: number, at: number): OpRow => ({
    process,
    f: "txn",
    node: "n3",
    invoke: at,
    complete: at + 0.1,
    type: "ok",
    value: { compare: [{ key, target: "mod", op: "=", value: 3 }], success: [{ f: "delete", key }], failure: [{ f: "get", key }] },
    result: { succeeded: true, results: [{ deleted: 1 }] },
  });

  it("reflects acknowledged creates, updates and deletes of kubernetes objects; a txn whose guard failed wrote nothing", () => {
    expect(check("kubernetes", [key], [create, update(2, 2, 2, true), ...finalReads(key, [object(2), object(2), object(2)], "get")]).verdict).toBe("valid");
    expect(check("kubernetes", [key], [create, update(2, 2, 2, true), remove(3, 3), ...finalReads(key, [null, null, null], "get")]).verdict).toBe("valid");
    const guardFailed = check("kubernetes", [key], [create, update(2, 2, 2, false), ...finalReads(key, [object(2), object(2), object(2)], "get")]);
    expect(guardFailed.verdict).toBe("invalid");
    expect(violations(guardFailed)[0]!.problem).toMatch(/was never written/);
  });

  it("names a lost acknowledged delete", () => {
    const result = check("kubernetes", [key], [create, remove(3, 3), ...finalReads(key, [object(1), object(1), object(1)], "get")]);
    expect(result.verdict).toBe("invalid");
    expect(violations(result)[0]!.lost).toMatchObject([{ process: 3, f: "txn", key, value: null, outcome: "acknowledged" }]);
    expect(result.summary).toMatch(/acknowledged delete \/registry\/pods\/default\/pod-0 by process 3 on n3/);
  });

  it("takes a txn of unknown outcome as a write that may have happened", () => {
    expect(check("kubernetes", [key], [create, update(2, 2, 2, undefined), ...finalReads(key, [object(2), object(2), object(2)], "get")]).verdict).toBe("valid");
  });

  it("checks the register workload by mod revision: puts, and txns guarded on the mod revision", () => {
    const cas = (process: number, at: number, value: string, succeeded: boolean): OpRow => ({
      process,
      f: "txn",
      node: "n2",
      invoke: at,
      complete: at + 0.1,
      type: "ok",
      value: { compare: [{ key: "r0", target: "mod", op: "=", value: 2 }], success: [{ f: "put", key: "r0", value }], failure: [{ f: "get", key: "r0" }] },
      result: { succeeded, results: [succeeded ? null : { value: "1", modRevision: 2 }] },
    });
    const rows: OpRow[] = [{ process: 1, f: "put", key: "r0", node: "n1", invoke: 1, complete: 1.1, type: "ok", value: "1" }, cas(2, 2, "2", true), cas(3, 3, "3", false)];
    expect(check("register", ["r0"], [...rows, ...finalReads("r0", [{ value: "2" }, { value: "2" }, { value: "2" }], "get")]).verdict).toBe("valid");
    const lost = check("register", ["r0"], [...rows, ...finalReads("r0", [{ value: "1" }, { value: "1" }, { value: "1" }], "get")]);
    expect(violations(lost)[0]!.lost).toMatchObject([{ process: 2, f: "txn", value: "2", outcome: "acknowledged" }]);
  });

  it("checks the watch workload's puts and deletes", () => {
    const rows: OpRow[] = [
      { process: 1, f: "put", key: "w/0", node: "n1", invoke: 1, complete: 1.1, type: "ok", value: "1" },
      { process: 2, f: "delete", key: "w/0", node: "n2", invoke: 2, complete: 2.1, type: "ok", value: null, result: { deleted: 1 } },
      { process: 3, f: "put", key: "w/0", node: "n3", invoke: 3, complete: 3.1, type: "ok", value: "3" },
    ];
    expect(check("watch", ["w/0"], [...rows, ...finalReads("w/0", [{ value: "3" }, { value: "3" }, { value: "3" }], "get")]).verdict).toBe("valid");
    const lost = check("watch", ["w/0"], [...rows, ...finalReads("w/0", [null, null, null], "get")]);
    expect(violations(lost)[0]!.lost).toMatchObject([{ process: 3, value: "3" }]);
  });
});

describe("durability: append", () => {
  /** A committed append txn of `element` after `before`, to key a0. */
  const append = (process: number, at: number, before: number[], element: number, type: "ok" | "info" = "ok"): OpRow => ({
    process,
    f: "txn",
    node: "n1",
    invoke: at,
    ...(type === "ok" ? { complete: at + 0.1, result: { succeeded: true, results: [null] } } : {}),
    type,
    value: { compare: [{ key: "a0", target: "mod", op: "=", value: 0 }], success: [{ f: "put", key: "a0", value: JSON.stringify([...before, element]) }], failure: [{ f: "get", key: "a0" }] },
  });
  const list = (elements: number[]) => ({ value: JSON.stringify(elements), modRevision: 5 });
  const chain = [append(1, 1, [], 1), append(2, 2, [1], 2), append(3, 3, [1, 2], 3)];

  it("is valid when every acknowledged append's list is a prefix of the final list", () => {
    expect(check("append", ["a0"], [...chain, ...finalReads("a0", [list([1, 2, 3]), list([1, 2, 3]), list([1, 2, 3])], "get")]).verdict).toBe("valid");
    // An uncertain append may have landed last.
    const maybe = [...chain, append(4, 4, [1, 2, 3], 4, "info")];
    expect(check("append", ["a0"], [...maybe, ...finalReads("a0", [list([1, 2, 3, 4]), list([1, 2, 3, 4]), list([1, 2, 3, 4])], "get")]).verdict).toBe("valid");
  });

  it("names an acknowledged append missing from the final list", () => {
    const result = check("append", ["a0"], [...chain, ...finalReads("a0", [list([1, 2]), list([1, 2]), list([1, 2])], "get")]);
    expect(result.verdict).toBe("invalid");
    expect(violations(result)).toMatchObject([{ key: "a0", problem: "1 acknowledged appends are missing from the final list of 2 elements", lost: [{ process: 3, value: "[1,2,3]" }] }]);
  });

  it("catches an append that is in the final list but not where it was made, and a final list nobody wrote", () => {
    const result = check("append", ["a0"], [...chain, ...finalReads("a0", [list([1, 3, 2]), list([1, 3, 2]), list([1, 3, 2])], "get")]);
    expect(result.verdict).toBe("invalid");
    const problems = violations(result).map((violation) => violation.problem);
    expect(problems).toContain("the final list [1,3,2] was never written");
    expect(problems.some((problem) => /acknowledged appends are not where they were made: 2 was appended after \[1\] but sits at position 2/.test(problem))).toBe(true);
  });

  it("catches appends out of real-time order", () => {
    // 2 was acknowledged at 1.6s; 3 was invoked at 2s, after it, yet the final list puts 3 first.
    const rows = [append(1, 1, [], 1), append(2, 1.5, [1, 3], 2), append(3, 2, [1], 3), ...finalReads("a0", [list([1, 3, 2]), list([1, 3, 2]), list([1, 3, 2])], "get")];
    const result = check("append", ["a0"], rows);
    expect(result.verdict).toBe("invalid");
    expect(violations(result)[0]!.problem).toBe("3 was appended after 2 was acknowledged, yet sits before it in the final list");
  });
});

describe("durability: what it cannot judge", () => {
  it("is unknown without final reads, or when no member answered a key", () => {
    expect(durabilityChecker.check(recordedRun({})).verdict).toBe("unknown");
    const rows: OpRow[] = [{ process: 100, f: "read", key: "r0", node: "n1", invoke: 30, complete: 35, type: "info" }];
    const result = check("register", ["r0"], rows);
    expect(result.verdict).toBe("unknown");
    expect(result["unanswered"]).toEqual([{ key: "r0", members }]);
  });

  it("has nothing to check for a workload whose data lives under leases", () => {
    const skipped = { ...probe("lock", []), skipped: "the lock workload keeps no data meant to outlast it" };
    expect(durabilityChecker.check(recordedRun({ finalReads: skipped })).verdict).toBe("valid");
  });
});
