// The page's data: operations as columns and lanes, fault bands, leader changes, anomalies and rates.
import { describe, expect, it } from "vitest";
import type { HistoryEntry } from "../../../record/history/entry.ts";
import type { StatusSample } from "../../../record/status.ts";
import { collectAnomalies } from "../../../reports/html/anomalies.ts";
import { bandsFromHistory, faultBands } from "../../../reports/html/fault-bands.ts";
import { leaderChanges } from "../../../reports/html/leader-changes.ts";
import { buildOperationTable, valueText } from "../../../reports/html/operation-table.ts";
import { preparePageData, scriptJson } from "../../../reports/html/page-data.ts";
import { rateSeries } from "../../../reports/html/rate-series.ts";
import { syntheticRun } from "../../support/synthetic-run.ts";

const ms = (value: number): number => value * 1e6;

function entries(rows: Array<Omit<HistoryEntry, "index">>): HistoryEntry[] {
  return rows.map((row, index) => ({ ...row, index }));
}

const small = entries([
  { time: ms(1000), process: 4, type: "invoke", f: "write", key: "r1", value: 7, node: "n2" },
  { time: ms(1001), process: 1, type: "invoke", f: "read", key: "r1", node: "n10" },
  { time: ms(1003), process: 4, type: "ok", f: "write", key: "r1", value: 7, node: "n2" },
  { time: ms(1004), process: "nemesis", type: "invoke", f: "start-partition", value: { targets: ["n2"] } },
  { time: ms(1005), process: 1, type: "ok", f: "read", key: "r1", value: 7, node: "n10" },
  { time: ms(1006), process: 4, type: "invoke", f: "cas", key: "r1", value: [7, 8], node: "n2" },
  { time: ms(1010), process: "nemesis", type: "info", f: "start-partition", value: { targets: ["n2"] } },
  { time: ms(2006), process: 4, type: "info", f: "cas", key: "r1", node: "n2", error: "deadline exceeded" },
  { time: ms(2010), process: 9, type: "fail", f: "read", node: "n2" },
  { time: ms(2100), process: 5, type: "invoke", f: "read", key: "r2", node: "n2" },
  { time: ms(3000), process: "nemesis", type: "invoke", f: "stop-partition", value: { targets: ["n2"] } },
  { time: ms(3020), process: "nemesis", type: "info", f: "stop-partition", value: { targets: ["n2"], healed: true } },
]);

describe("buildOperationTable", () => {
  const table = buildOperationTable(small);

  it("pairs invocations with completions; an operation left open is info, a stray completion is left out", () => {
    expect(table.count).toBe(4);
    expect(table.columns.type).toEqual([0, 0, 2, 2]);
    expect(table.columns.duration).toEqual([3000, 4000, 1_000_000, -1]);
    expect([...table.endUs].map((end) => (Number.isNaN(end) ? null : end))).toEqual([1_003_000, 1_005_000, 2_006_000, null]);
  });

  it("gives one lane per process, ordered by member (n2 before n10), then process", () => {
    expect(table.lanes).toEqual([
      { process: 4, node: "n2", operations: 2 },
      { process: 5, node: "n2", operations: 1 },
      { process: 1, node: "n10", operations: 1 },
    ]);
    expect(table.columns.lane).toEqual([0, 2, 0, 1]);
  });

  it("delta-encodes times and history indexes, which add back up", () => {
    let start = 0;
    let index = 0;
    const starts = table.columns.startDelta.map((delta) => (start += delta));
    const indexes = table.columns.indexDelta.map((delta) => (index += delta));
    expect(starts).toEqual([1_000_000, 1_001_000, 1_006_000, 2_100_000]);
    expect(indexes).toEqual([0, 1, 5, 9]);
    expect(table.columns.completeOffset).toEqual([2, 3, 2, -1]);
    expect(table.operationOfInvoke.get(5)).toBe(2);
  });

  it("keeps each value once in the string table", () => {
    const text = (id: number): string | undefined => (id < 0 ? undefined : table.strings[id]);
    expect(table.columns.f.map(text)).toEqual(["write", "read", "cas", "read"]);
    expect(text(table.columns.input[0]!)).toBe("7");
    expect(table.columns.output[1]).toBe(table.columns.input[0]);
    expect(text(table.columns.error[2]!)).toBe("deadline exceeded");
    expect(text(table.columns.input[2]!)).toBe("[7,8]");
  });

  it("cuts long values and says how many items a list has", () => {
    expect(valueText(Array.from({ length: 200 }, (_, index) => index))).toMatch(/^200 items: \[0,1,2,.*…$/);
    expect(valueText(Array.from({ length: 200 }, (_, index) => index))!.length).toBe(160);
    expect(valueText(undefined)).toBeUndefined();
    expect(valueText("a")).toBe('"a"');
  });
});

describe("fault bands", () => {
  it("come from results.json's fault records", () => {
    const { results, history } = syntheticRun(200);
    const bands = faultBands(results, history, 0);
    expect(bands.map((band) => [band.fault, band.targets, band.tookEffect])).toEqual([
      ["partition", ["n3"], true],
      ["partition", ["n1"], true],
    ]);
    expect(bands[0]!.start).toBeLessThan(bands[0]!.effective);
  });

  it("come from the history's nemesis lines when the run recorded no fault (it stopped early)", () => {
    expect(bandsFromHistory(small, 9_000_000)).toEqual([
      { fault: "partition", targets: ["n2"], start: 1_004_000, effective: 1_010_000, healStart: 3_000_000, end: 3_020_000, tookEffect: null, evidence: null },
    ]);
    const cutShort = small.filter((entry) => !entry.f.startsWith("stop-"));
    expect(bandsFromHistory(cutShort, 9_000_000)[0]).toMatchObject({ healStart: 9_000_000, end: 9_000_000 });
  });
});

describe("leaderChanges", () => {
  const sample = (time: number, member: string, leader: string | null, term: number): StatusSample => ({ time: ms(time), member, leader, term });

  it("marks each new leader once, and a member that loses its leader", () => {
    const samples = [
      sample(0, "n1", "n1", 2),
      sample(0, "n2", "n1", 2),
      sample(200, "n2", null, 2),
      sample(400, "n2", null, 3),
      sample(600, "n1", "n3", 4),
      sample(600, "n2", "n3", 4),
      { time: ms(800), member: "n3", error: "deadline exceeded" },
    ];
    expect(leaderChanges(samples)).toEqual([
      { time: 0, leader: "n1", term: 2, member: "n1" },
      { time: 200_000, leader: null, term: 2, member: "n2" },
      { time: 600_000, leader: "n3", term: 4, member: "n1" },
    ]);
  });
});

describe("collectAnomalies", () => {
  const lookup = { operationOfInvoke: (index: number) => ({ 10: 3, 20: 5, 30: 7 })[index], startUs: (op: number) => op * 1000 };

  it("flags each listed anomaly at its first operation, with the rest and its context as related", () => {
    const anomalies = collectAnomalies(
      {
        linearizability: {
          verdict: "invalid",
          summary: "stale read",
          anomalies: [{ kind: "not-linearizable", explanation: "key r1: op 20 cannot be placed", ops: [20], context: [{ label: "concurrent", ops: [10, 30] }], members: ["n1"] }],
        },
        valid: { verdict: "valid", summary: "fine", anomalies: [], acknowledged: [{ invokeIndex: 10 }] },
      },
      lookup,
      99_000,
    );
    expect(anomalies).toEqual([{ checker: "linearizability", op: 5, time: 5000, title: "linearizability: key r1: op 20 cannot be placed", related: [3, 7] }]);
  });

  it("puts anomalies with an operation first, earliest first, then those with a span or none at their time", () => {
    const anomaly = (ops: number[], explanation: string, from?: number) => ({ kind: "k", explanation, ops, members: [], ...(from !== undefined ? { from } : {}) });
    const anomalies = collectAnomalies(
      {
        convergence: { verdict: "invalid", summary: "members disagree", anomalies: [anomaly([], "members disagree")] },
        availability: { verdict: "invalid", summary: "slow", anomalies: [anomaly([], "slow", 4e7)] },
        "minority-refuses": { verdict: "invalid", summary: "acknowledged", anomalies: [anomaly([30], "write r1 3 by process 2 on n1"), anomaly([10], "read")] },
      },
      lookup,
      99_000,
    );
    expect(anomalies.map((anomaly) => [anomaly.checker, anomaly.op, anomaly.time])).toEqual([
      ["minority-refuses", 3, 3000],
      ["minority-refuses", 7, 7000],
      ["availability", -1, 40_000],
      ["convergence", -1, 99_000],
    ]);
    expect(anomalies[1]!.title).toBe("minority-refuses: write r1 3 by process 2 on n1");
  });
});

describe("rateSeries", () => {
  it("counts completions per second by outcome, and latency percentiles of ok operations", () => {
    const table = buildOperationTable(small);
    const series = rateSeries(table, 1_000_000, 3_020_000);
    expect(series.time).toEqual([1, 2, 3]);
    expect(series.ok).toEqual([2, 0, 0]);
    expect(series.info).toEqual([0, 2, 0]);
    expect(series.p50).toEqual([4, null, null]);
    expect(series.max).toEqual([4, null, null]);
  });

  it("widens buckets so a long run has at most 1200", () => {
    const table = buildOperationTable([]);
    const series = rateSeries(table, 0, 3600 * 1e6);
    expect(series.bucketS).toBe(3);
    expect(series.time.length).toBeLessThanOrEqual(1201);
  });
});

describe("preparePageData", () => {
  it("spans the operations and faults, and points the first anomaly at the stale read", () => {
    const run = syntheticRun(5000);
    const { data, table } = preparePageData(run.results, run.history, run.statuses);
    expect(data.count).toBe(5000);
    expect(data.fromUs).toBe(table.startUs[0]);
    expect(data.toUs).toBeGreaterThanOrEqual(table.lastUs);
    const blocked = (run.results.checkers["linearizability"] as unknown as { partitions: Array<{ counterexample: { blocked: { invokeIndex: number } } }> }).partitions[0]!.counterexample.blocked;
    expect(data.anomalies[0]!.op).toBe(table.operationOfInvoke.get(blocked.invokeIndex));
    expect(data.leaders.map((change) => change.leader)).toContain("n2");
  });

  it("serializes safely inside a script element", () => {
    expect(scriptJson({ text: "</script><script>alert(1)</script>\u2028" })).toBe('{"text":"\\u003c/script>\\u003cscript>alert(1)\\u003c/script>\\u2028"}');
  });
});
