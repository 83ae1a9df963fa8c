// Transactions from our etcd histories (append and wr workloads, final reads) and from Jepsen's micro-operation vectors.
import { describe, expect, it } from "vitest";
import { checkTransactions } from "../../../../checkers/elle/check.ts";
import { guessTransactional, transactionsFromHistory } from "../../../../checkers/elle/from-history.ts";
import { HistoryShapeError } from "../../../../checkers/linearizability/model.ts";
import type { HistoryEntry } from "../../../../record/history/entry.ts";

let index = 0;
const entry = (fields: Partial<HistoryEntry> & Pick<HistoryEntry, "process" | "type" | "f">): HistoryEntry => ({ index: index, time: index++ * 10, ...fields });
const kv = (value: string, modRevision: number) => ({ value, modRevision, createRevision: 2, version: 1 });

describe("transactions from the append workload's etcd txns", () => {
  it("reads gets as lists and puts as appends of their last element; a txn that took its failure branch aborted its appends", () => {
    index = 0;
    const guarded = { compare: [{ key: "a1", target: "mod", op: "=", value: 0 }], success: [{ f: "get", key: "a1" }, { f: "put", key: "a1", value: "[7]" }], failure: [{ f: "get", key: "a1" }] };
    const history = [
      entry({ process: 0, type: "invoke", f: "txn", value: guarded }),
      entry({ process: 0, type: "ok", f: "txn", value: { succeeded: true, results: [null, null] }, revision: 5 }),
      entry({ process: 1, type: "invoke", f: "txn", value: { ...guarded, success: [{ f: "put", key: "a1", value: "[8]" }] } }),
      entry({ process: 1, type: "ok", f: "txn", value: { succeeded: false, results: [kv("[7]", 5)] }, revision: 5 }),
      // A final read after the run: a single get.
      entry({ process: 2, type: "invoke", f: "get", key: "a1", value: null }),
      entry({ process: 2, type: "ok", f: "get", key: "a1", value: kv("[7,8]", 6), revision: 6 }),
    ];
    const { transactions } = transactionsFromHistory(history, "list-append");
    expect(transactions.map((t) => [t.outcome, t.ops])).toEqual([
      ["ok", [{ f: "r", key: "a1", value: [] }, { f: "append", key: "a1", value: 7 }]],
      ["ok", [{ f: "r", key: "a1", value: [7] }]],
      ["ok", [{ f: "r", key: "a1", value: [7, 8] }]],
    ]);
    expect(transactions[1]!.aborted).toEqual([{ f: "append", key: "a1", value: 8 }]);
    // The final read shows 8, which only the txn whose compare failed appended: an aborted read.
    const report = checkTransactions(transactions, { workload: "list-append", consistency: "strict-serializable" });
    expect(report.findings.map((finding) => finding.name)).toEqual(["G1a"]);
    expect(report.findings[0]!.explanation).toBe("T4 read 8 in key \"a1\", appended only by T2, which did not commit (aborted read)");
  });

  it("keeps an uncertain txn's appends with unknown reads, and refuses a put that is not a list, naming the entry", () => {
    index = 0;
    const spec = { compare: [], success: [{ f: "get", key: "a1" }, { f: "put", key: "a1", value: "[1]" }], failure: [] };
    const info = [entry({ process: 0, type: "invoke", f: "txn", value: spec }), entry({ process: 0, type: "info", f: "txn", error: "timeout" })];
    expect(transactionsFromHistory(info, "list-append").transactions[0]).toMatchObject({ outcome: "info", ret: Infinity, ops: [{ f: "r", key: "a1" }, { f: "append", key: "a1", value: 1 }] });
    const bad = [entry({ process: 0, type: "invoke", f: "txn", value: { ...spec, success: [{ f: "put", key: "a1", value: "x" }] } })];
    expect(() => transactionsFromHistory(bad, "list-append")).toThrow(HistoryShapeError);
    expect(() => transactionsFromHistory(bad, "list-append")).toThrow(/an append workload's value must be a JSON list, got "x"/);
  });
});

describe("transactions from the wr workload's etcd txns", () => {
  it("reads gets with their mod revisions and puts as writes; the commit's header revision is its writes'", () => {
    index = 0;
    const history = [
      entry({ process: 0, type: "invoke", f: "txn", value: { compare: [], success: [{ f: "get", key: "w1" }, { f: "put", key: "w1", value: "3" }], failure: [] } }),
      entry({ process: 0, type: "ok", f: "txn", value: { succeeded: true, results: [kv("2", 7), null] }, revision: 9 }),
    ];
    const [t] = transactionsFromHistory(history, "rw-register").transactions;
    expect(t).toMatchObject({ revision: 9, ops: [{ f: "r", key: "w1", value: "2", modRevision: 7 }, { f: "w", key: "w1", value: "3" }] });
  });
});

describe("guessTransactional", () => {
  it("recognises Jepsen's list-append and rw-register vectors, and nothing else", () => {
    const txn = (value: unknown): HistoryEntry => ({ index: 0, time: 0, process: 0, type: "invoke", f: "txn", value });
    expect(guessTransactional([txn([["r", 1, null], ["append", 1, 2]])])).toBe("elle-append");
    expect(guessTransactional([txn([["r", 1, null], ["w", 1, 2]])])).toBe("elle-wr");
    expect(guessTransactional([txn({ compare: [], success: [], failure: [] })])).toBeUndefined();
    expect(guessTransactional([{ index: 0, time: 0, process: 0, type: "invoke", f: "read" }])).toBeUndefined();
  });
});

describe("Jepsen's micro-operation vectors", () => {
  it("read nil from an empty list-append key as the empty list, and refuse a read of the wrong shape, naming the entry", () => {
    const txn = (type: HistoryEntry["type"], value: unknown): HistoryEntry => ({ index: type === "invoke" ? 0 : 1, time: 0, process: 0, type, f: "txn", value });
    const nil = [txn("invoke", [["r", 1, null]]), txn("ok", [["r", 1, null]])];
    expect(transactionsFromHistory(nil, "list-append").transactions[0]!.ops).toEqual([{ f: "r", key: 1, value: [] }]);
    const scalar = [txn("invoke", [["r", 1, null]]), txn("ok", [["r", 1, 5]])];
    expect(() => transactionsFromHistory(scalar, "list-append")).toThrow(/a list-append read returns a list, got 5/);
    const list = [txn("invoke", [["r", 1, null]]), txn("ok", [["r", 1, [5]]])];
    expect(() => transactionsFromHistory(list, "rw-register")).toThrow(HistoryShapeError);
  });
});
