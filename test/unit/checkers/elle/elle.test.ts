// The Elle-style checker: serial histories valid under every model, each planted anomaly named as itself, agreement with brute force.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkTransactions, type ElleWorkload } from "../../../../checkers/elle/check.ts";
import { transactionsFromHistory } from "../../../../checkers/elle/from-history.ts";
import { consistencyModels, type ConsistencyModel } from "../../../../checkers/elle/models.ts";
import { serializable } from "./brute-force.ts";
import { concurrent, historyOf, type Op, type PlannedTxn } from "./histories.ts";
import { perturb, perturbations, serialHistory, shapes } from "./serial.ts";

function check(txns: readonly PlannedTxn[], workload: ElleWorkload, consistency: ConsistencyModel = "strict-serializable") {
  const { transactions } = transactionsFromHistory(historyOf(txns), workload);
  return checkTransactions(transactions, { workload, consistency });
}

const names = (report: ReturnType<typeof check>) => [...new Set(report.findings.map((finding) => finding.name))].sort();

describe("histories from a serial execution", () => {
  for (const workload of ["list-append", "rw-register"] as const) {
    it(`are valid under every model (${workload})`, () => {
      fc.assert(
        fc.property(shapes(60, 4), (txnShapes) => {
          const txns = serialHistory(txnShapes, workload);
          for (const consistency of consistencyModels) {
            const report = check(txns, workload, consistency);
            expect(report.findings.map((finding) => finding.explanation)).toEqual([]);
            expect(report.verdict).toBe("valid");
          }
        }),
        { numRuns: 150 },
      );
    });
  }
});

/** A planted anomaly on keys of its own, in a serial history on other keys: found, and named as exactly these classes. */
const plantedListAppend: { name: string; txns: PlannedTxn[]; found: string[]; allowedBy?: ConsistencyModel[] }[] = [
  { name: "G0 (write cycle)", txns: concurrent([["append", "x", 1001], ["append", "y", 1001]], [["append", "x", 1002], ["append", "y", 1002]], [["r", "x", [1001, 1002]], ["r", "y", [1002, 1001]]]), found: ["G0"] },
  { name: "G1c (circular information flow)", txns: concurrent([["append", "x", 1001], ["r", "y", [1002]]], [["append", "y", 1002], ["r", "x", [1001]]]), found: ["G1c"] },
  { name: "G-single (read skew)", txns: concurrent([["r", "x", []], ["r", "y", [1001]]], [["append", "x", 1001], ["append", "y", 1001]], [["r", "x", [1001]]]), found: ["G-single"] },
  {
    name: "G2-item (write skew)",
    txns: concurrent([["r", "x", []], ["append", "y", 1001]], [["r", "y", []], ["append", "x", 1002]], [["r", "x", [1002]], ["r", "y", [1001]]]),
    found: ["G2-item"],
    allowedBy: ["snapshot-isolation", "read-committed"],
  },
  { name: "G1a (aborted read)", txns: [...concurrent([["r", "x", [1001]]]), { process: 9, ops: [["append", "x", 1001]], outcome: "fail", call: 0, ret: 100 }], found: ["G1a"] },
  { name: "G1b (intermediate read)", txns: concurrent([["append", "x", 1001], ["append", "x", 1002]], [["r", "x", [1001]]]), found: ["G1b"] },
  { name: "internal inconsistency", txns: concurrent([["append", "x", 1001], ["r", "x", []]]), found: ["internal"] },
  { name: "garbage read", txns: concurrent([["r", "x", [1999]]]), found: ["garbage-read"] },
  { name: "duplicate append", txns: concurrent([["append", "x", 1001]], [["r", "x", [1001, 1001]]]), found: ["duplicate-append"] },
  { name: "incompatible order", txns: concurrent([["append", "x", 1001]], [["append", "x", 1002]], [["r", "x", [1001, 1002]]], [["r", "x", [1002, 1001]]]), found: ["incompatible-order"] },
  {
    name: "lost update",
    txns: concurrent([["r", "x", []], ["append", "x", 1001]], [["r", "x", []], ["append", "x", 1002]], [["r", "x", [1001, 1002]]]),
    found: ["G-single", "lost-update"],
    allowedBy: ["read-committed"],
  },
  {
    name: "G-single-realtime (stale read)",
    txns: [
      { process: 10, ops: [["append", "x", 1001]], call: 0, ret: 10 },
      { process: 11, ops: [["r", "x", []]], call: 20, ret: 30 },
      { process: 12, ops: [["r", "x", [1001]]], call: 40, ret: 50 },
    ],
    found: ["G-single-realtime"],
    allowedBy: ["serializable", "snapshot-isolation", "read-committed"],
  },
  {
    name: "G-single-process (a client does not see its own append)",
    txns: [
      { process: 10, ops: [["append", "x", 1001]], call: 0, ret: 10 },
      { process: 10, ops: [["r", "x", []]], call: 20, ret: 30 },
      { process: 12, ops: [["r", "x", [1001]]], call: 40, ret: 50 },
    ],
    found: ["G-single-process"],
    allowedBy: ["serializable", "snapshot-isolation", "read-committed"],
  },
  {
    name: "G0-realtime (appends in the opposite of real-time order)",
    txns: [
      { process: 10, ops: [["append", "x", 1001]], call: 0, ret: 10 },
      { process: 11, ops: [["append", "x", 1002]], call: 20, ret: 30 },
      { process: 12, ops: [["r", "x", [1002, 1001]]], call: 40, ret: 50 },
    ],
    found: ["G0-realtime"],
    allowedBy: ["serializable", "snapshot-isolation", "read-committed"],
  },
  {
    name: "G1c-realtime (a read from the future)",
    txns: [
      { process: 10, ops: [["r", "x", [1001]]], call: 0, ret: 10 },
      { process: 11, ops: [["append", "x", 1001]], call: 20, ret: 30 },
    ],
    found: ["G1c-realtime"],
    allowedBy: ["serializable", "snapshot-isolation", "read-committed"],
  },
];

const plantedRegister: typeof plantedListAppend = [
  { name: "G1c", txns: concurrent([["w", "x", 1001], ["r", "y", 1002]], [["w", "y", 1002], ["r", "x", 1001]]), found: ["G1c"] },
  { name: "G-single (read skew)", txns: concurrent([["r", "x", null], ["r", "y", 1001]], [["w", "x", 1001], ["w", "y", 1001]]), found: ["G-single"] },
  { name: "G2-item (write skew)", txns: concurrent([["r", "x", null], ["w", "y", 1001]], [["r", "y", null], ["w", "x", 1002]]), found: ["G2-item"], allowedBy: ["snapshot-isolation", "read-committed"] },
  { name: "G1a", txns: [...concurrent([["r", "x", 1001]]), { process: 9, ops: [["w", "x", 1001]], outcome: "fail", call: 0, ret: 100 }], found: ["G1a"] },
  { name: "G1b", txns: concurrent([["w", "x", 1001], ["w", "x", 1002]], [["r", "x", 1001]]), found: ["G1b"] },
  { name: "internal", txns: concurrent([["w", "x", 1001], ["r", "x", null]]), found: ["internal"] },
  { name: "garbage read", txns: concurrent([["r", "x", 1999]]), found: ["garbage-read"] },
  { name: "lost update", txns: concurrent([["r", "x", null], ["w", "x", 1001]], [["r", "x", null], ["w", "x", 1002]]), found: ["G2-item", "lost-update"], allowedBy: ["read-committed"] },
  {
    name: "G-single-realtime by etcd's revisions (a stale read)",
    txns: [
      { process: 10, ops: [["w", "x", 1001]], call: 0, ret: 10, revision: 500 },
      { process: 11, ops: [["w", "x", 1002]], call: 20, ret: 30, revision: 501 },
      { process: 12, ops: [["r", "x", 1001]], call: 40, ret: 50, modRevisions: { 0: 500 } },
    ],
    found: ["G-single-realtime"],
    allowedBy: ["serializable", "snapshot-isolation", "read-committed"],
  },
  {
    name: "revision mismatch",
    txns: [
      { process: 10, ops: [["w", "x", 1001]], call: 0, ret: 10, revision: 500 },
      { process: 12, ops: [["r", "x", 1001]], call: 40, ret: 50, modRevisions: { 0: 507 } },
    ],
    found: ["revision-mismatch"],
  },
];

for (const [workload, planted] of [["list-append", plantedListAppend], ["rw-register", plantedRegister]] as const) {
  describe(`a planted anomaly in a ${workload} history`, () => {
    for (const plant of planted) {
      it(`is found and named: ${plant.name}`, () => {
        fc.assert(
          fc.property(shapes(30, 3), (txnShapes) => {
            // The background runs on other keys and other processes, long before the planted transactions.
            const background = serialHistory(txnShapes, workload, "b").map((txn) => ({ ...txn, process: txn.process + 100, call: txn.call - 1e6, ret: txn.ret - 1e6 }));
            const report = check([...background, ...plant.txns], workload);
            expect(names(report)).toEqual(plant.found);
            expect(report.verdict).toBe("invalid");
            const cycle = report.findings.find((finding) => finding.steps);
            if (cycle) expect(cycle.explanation).toMatch(/ because .*; a contradiction$/);
            for (const consistency of plant.allowedBy ?? []) expect(check([...background, ...plant.txns], workload, consistency).verdict).toBe("valid");
          }),
          { numRuns: 15 },
        );
      });
    }
  });
}

describe("agreement with a brute-force search on small list-append histories", () => {
  it("never calls invalid what some serial order explains, and finds every violation once every append was read", () => {
    let compared = 0;
    let invalid = 0;
    fc.assert(
      fc.property(shapes(7, 2), fc.array(perturbations, { maxLength: 2 }), (txnShapes, changes) => {
        let txns = serialHistory(txnShapes, "list-append");
        // A last transaction reads every key, so most appends have a place in the order.
        const lastRet = Math.max(0, ...txns.map((txn) => (Number.isFinite(txn.ret) ? txn.ret : txn.call)));
        txns.push({ process: 99, ops: [["r", "k0", []], ["r", "k1", []]] as Op[], call: lastRet + 1, ret: lastRet + 2 });
        txns = serialHistoryRead(txns);
        for (const change of changes) txns = perturb(txns, change);
        const { transactions } = transactionsFromHistory(historyOf(txns), "list-append");
        for (const strict of [false, true]) {
          const report = checkTransactions(transactions, { workload: "list-append", consistency: strict ? "strict-serializable" : "serializable" });
          const truth = serializable(transactions, strict);
          if (report.verdict === "invalid") expect(truth).toBe(false);
          if (everyAppendRead(transactions)) {
            compared++;
            expect(report.verdict === "valid").toBe(truth);
            if (!truth) invalid++;
          }
        }
      }),
      { numRuns: 2000 },
    );
    expect(compared).toBeGreaterThan(300);
    expect(invalid).toBeGreaterThan(30);
  });
});

/** Fills the closing read with the final state of every key (the serial execution's). */
function serialHistoryRead(txns: PlannedTxn[]): PlannedTxn[] {
  const lists = new Map<unknown, number[]>();
  for (const txn of txns.slice(0, -1)) {
    const applied = (txn.outcome ?? "ok") === "ok" || (txn.outcome === "info" && appearsLater(txn, txns));
    if (!applied) continue;
    for (const [f, key, value] of txn.ops) if (f === "append") lists.set(key, [...(lists.get(key) ?? []), value as number]);
  }
  const last = txns[txns.length - 1]!;
  return [...txns.slice(0, -1), { ...last, ops: last.ops.map(([f, key]) => [f, key, lists.get(key) ?? []] as Op) }];
}

/** Whether an info transaction's append shows in some committed read, i.e. the serial execution applied it. */
function appearsLater(txn: PlannedTxn, txns: readonly PlannedTxn[]): boolean {
  const values = new Set(txn.ops.filter(([f]) => f === "append").map(([, , value]) => value));
  return txns.some((other) => other.ops.some(([f, , value]) => f === "r" && Array.isArray(value) && value.some((v) => values.has(v))));
}

/** Whether every append that happened has its place in some read: then the order of every key is known, and the check is exact. */
function everyAppendRead(transactions: ReturnType<typeof transactionsFromHistory>["transactions"]): boolean {
  const read = new Set<unknown>();
  for (const t of transactions) if (t.outcome === "ok") for (const op of t.ops) if (op.f === "r" && Array.isArray(op.value)) for (const value of op.value) read.add(`${String(op.key)}/${String(value)}`);
  const seen = (op: (typeof transactions)[number]["ops"][number]) => op.f !== "append" || read.has(`${String(op.key)}/${String(op.value)}`);
  // A committed transaction's appends, and those of an uncertain one that a read shows committed.
  const committed = (t: (typeof transactions)[number]) => t.outcome === "ok" || (t.outcome === "info" && t.ops.some((op) => op.f === "append" && seen(op)));
  return transactions.every((t) => !committed(t) || t.ops.every(seen));
}
