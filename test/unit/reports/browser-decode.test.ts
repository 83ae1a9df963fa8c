// The page script's pure parts: decoding the columns, finding the operation under the cursor, packing processes into rows.
import { describe, expect, it } from "vitest";
import type { HistoryEntry } from "../../../record/history/entry.ts";
import { decodeOperations, describeOperation, firstVisible, layoutRows, operationAt } from "../../../reports/html/browser/decode.ts";
import { tickStep } from "../../../reports/html/browser/timeline.ts";
import { preparePageData } from "../../../reports/html/page-data.ts";
import { syntheticRun } from "../../support/synthetic-run.ts";

const ms = (value: number): number => value * 1e6;

/** Slot 0 on n1 runs p1 (times out), then p4; slot 1 on n1 runs p2 throughout; p3 on n2. */
function history(): HistoryEntry[] {
  const rows: Array<Omit<HistoryEntry, "index">> = [
    { time: ms(1000), process: 1, type: "invoke", f: "write", key: "a", value: 1, node: "n1" },
    { time: ms(1000), process: 2, type: "invoke", f: "read", key: "a", node: "n1" },
    { time: ms(1000), process: 3, type: "invoke", f: "read", key: "a", node: "n2" },
    { time: ms(1010), process: 2, type: "ok", f: "read", key: "a", value: 1, node: "n1" },
    { time: ms(1020), process: 3, type: "ok", f: "read", key: "a", node: "n2" },
    { time: ms(1030), process: 2, type: "invoke", f: "read", key: "a", node: "n1" },
    { time: ms(2000), process: 1, type: "info", f: "write", key: "a", node: "n1", error: "timeout" },
    { time: ms(2500), process: 2, type: "ok", f: "read", key: "a", value: 1, node: "n1" },
    { time: ms(2010), process: 4, type: "invoke", f: "cas", key: "a", value: [1, 2], node: "n1" },
    { time: ms(2020), process: 4, type: "fail", f: "cas", key: "a", node: "n1", error: "compare failed" },
  ];
  return rows.map((row, index) => ({ ...row, index }));
}

function model() {
  const run = syntheticRun(10);
  const { data } = preparePageData({ ...run.results, faults: [], checkers: {} }, history(), []);
  return decodeOperations(data);
}

describe("decodeOperations", () => {
  it("restores times in seconds, outcomes and history indexes from the columns", () => {
    const decoded = model();
    expect(decoded.count).toBe(5);
    expect([...decoded.start]).toEqual([1, 1, 1, 1.03, 2.01]);
    expect([...decoded.end]).toEqual([2, 1.01, 1.02, 2.5, 2.02]);
    expect([...decoded.type]).toEqual([2, 0, 0, 0, 1]);
    expect([...decoded.invokeIndex]).toEqual([0, 1, 2, 5, 8]);
    expect(decoded.groups).toEqual([
      { node: "n1", first: 0, last: 2 },
      { node: "n2", first: 3, last: 3 },
    ]);
    expect(decoded.laneOps.map((ops) => [...ops])).toEqual([[0], [1, 3], [4], [2]]);
  });

  it("describes an operation for the hover", () => {
    const decoded = model();
    expect(describeOperation(decoded, 0)).toEqual({
      title: "process 1 on n1: write a",
      outcome: "info",
      lines: [
        "sent: 1",
        "result: info",
        "error: timeout",
        "outcome unknown: it may take effect at any later time, or never",
        "1.000 s → 2.000 s (1000.0 ms)",
        "history.jsonl index 0 and 6",
      ],
    });
  });

  it("finds the operation under the cursor, within the slack", () => {
    const decoded = model();
    const lane = decoded.laneOps[1]!;
    expect(operationAt(decoded, lane, 1.005, 0.001)).toBe(1);
    expect(operationAt(decoded, lane, 1.02, 0.001)).toBe(-1);
    expect(operationAt(decoded, lane, 1.025, 0.011)).toBe(3);
    expect(operationAt(decoded, lane, 2.2, 0)).toBe(3);
    expect(firstVisible(decoded, lane, 1.5)).toBe(1);
  });
});

describe("layoutRows", () => {
  it("gives one row per process unpacked", () => {
    const layout = layoutRows(model(), false);
    expect(layout.labels).toEqual(["p1", "p2", "p4", "p3"]);
    expect([...layout.rowOfLane]).toEqual([0, 1, 2, 3]);
  });

  it("packs processes of one member that never overlap into one row", () => {
    const layout = layoutRows(model(), true);
    expect(layout.labels).toEqual(["p1 +1", "p2", "p3"]);
    expect([...layout.rowOfLane]).toEqual([0, 1, 0, 2]);
    expect(layout.rows.map((ops) => [...ops])).toEqual([[0, 4], [1, 3], [2]]);
    expect(layout.groups).toEqual([
      { node: "n1", first: 0, last: 1 },
      { node: "n2", first: 2, last: 2 },
    ]);
  });
});

describe("tickStep", () => {
  it("steps 1, 2 or 5 per decade", () => {
    expect(tickStep(10, 10)).toBe(1);
    expect(tickStep(10, 4)).toBe(5);
    expect(tickStep(0.3, 10)).toBeCloseTo(0.05);
    expect(tickStep(120, 10)).toBe(20);
  });
});
