// The elle-append and elle-wr checker results: violations of the model as anomalies, the rest as typed evidence.
import { describe, expect, it } from "vitest";
import { checkTransactions } from "../../../checkers/elle/check.ts";
import { transactionsFromHistory } from "../../../checkers/elle/from-history.ts";
import { buildChecker } from "../../../checkers/registry.ts";
import { transactionalResult } from "../../../checkers/transactional.ts";
import { checkersOf } from "../../../runner/plan.ts";
import { recordedRun } from "./fixtures.ts";
import { checkResultSchema } from "../../../record/check-result.ts";
import { transactionalEvidenceSchema } from "../../../record/transactional.ts";
import { concurrent, historyOf } from "./elle/histories.ts";

const writeSkew = historyOf(concurrent([["r", "x", []], ["append", "y", 1]], [["r", "y", []], ["append", "x", 2]], [["r", "x", [2]], ["r", "y", [1]]]));

function resultUnder(consistency: "serializable" | "snapshot-isolation") {
  const { transactions, ignored } = transactionsFromHistory(writeSkew, "list-append");
  return transactionalResult(checkTransactions(transactions, { workload: "list-append", consistency }), transactions, ignored, "list-append");
}

describe("transactional checker results", () => {
  it("list a violation as an anomaly with its transactions, members and cycle, in the record's shape", () => {
    const result = resultUnder("serializable");
    expect(checkResultSchema.parse(result).verdict).toBe("invalid");
    const evidence = transactionalEvidenceSchema.parse(result);
    expect(result.anomalies).toEqual([expect.objectContaining({ kind: "G2-item", ops: [0, 1] })]);
    expect(evidence.cycles).toEqual([{ name: "G2-item", steps: [expect.objectContaining({ from: 0, to: 1, kind: "rw" }), expect.objectContaining({ from: 1, to: 0, kind: "rw" })] }]);
    expect(evidence.ruledOut).toEqual(["strict-serializable", "serializable"]);
    expect(result.summary).toMatch(/^not serializable: G2-item x1; T0 < T1 because /);
  });

  it("keep what the model allows out of the anomalies, and say so", () => {
    const result = resultUnder("snapshot-isolation");
    expect(result).toMatchObject({ verdict: "valid", anomalies: [], allowed: ["G2-item"], cycles: [] });
    expect(result.summary).toMatch(/^snapshot-isolation: no anomaly it rules out in 3 transactions .*; found G2-item, which snapshot-isolation allows$/);
  });

  it("take the consistency a scenario gives its workload's checker", () => {
    const staleRead = historyOf([
      { process: 10, ops: [["append", "x", 1]], call: 0, ret: 10 },
      { process: 11, ops: [["r", "x", []]], call: 20, ret: 30 },
      { process: 12, ops: [["r", "x", [1]]], call: 40, ret: 50 },
    ]);
    const run = recordedRun({ history: staleRead });
    const verdictsOf = (checkers: { name: string; options?: unknown }[]) => checkersOf({ workload: "append", checkers }, "test").map((checker) => [checker.name, checker.check(run).verdict]);
    expect(verdictsOf([{ name: "elle-append" }])).toEqual([["elle-append", "invalid"]]);
    expect(verdictsOf([{ name: "elle-append" }, { name: "elle-append", options: { consistency: "serializable" } }])).toEqual([["elle-append", "valid"]]);
  });

  it("are built from scenario specs with a consistency option, and refuse an unknown one", () => {
    expect(buildChecker({ name: "elle-wr", options: { consistency: "read-committed" } }).name).toBe("elle-wr");
    expect(() => buildChecker({ name: "elle-append", options: { consistency: "eventual" } })).toThrow(/checker elle-append: options.consistency/);
  });
});
