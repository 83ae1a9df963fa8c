// Everything the page's script draws, prepared from a run's results, history and status samples.
import type { HistoryEntry } from "../../record/history/entry.ts";
import type { RunResults } from "../../record/results.ts";
import type { StatusSample } from "../../record/status.ts";
import { operationsByInvoke, type NamedOperation } from "../operations.ts";
import { collectAnomalies, type PageAnomaly } from "./anomalies.ts";
import { faultBands, type FaultBand } from "./fault-bands.ts";
import { leaderChanges, type LeaderChange } from "./leader-changes.ts";
import { buildOperationTable, type Lane, type OperationColumns, type OperationTable } from "./operation-table.ts";
import { rateSeries, type RateSeries } from "./rate-series.ts";

export type { FaultBand, Lane, LeaderChange, OperationColumns, PageAnomaly, RateSeries };

export interface PageData {
  /** The span the page shows, in µs on the run clock. */
  fromUs: number;
  toUs: number;
  count: number;
  strings: string[];
  ops: OperationColumns;
  lanes: Lane[];
  faults: FaultBand[];
  leaders: LeaderChange[];
  /** Earliest first; anomalies[0] is the one "jump to first anomaly" goes to. */
  anomalies: PageAnomaly[];
  series: RateSeries;
}

export interface PreparedPage {
  data: PageData;
  table: OperationTable;
  /** The history's client operations by invocation index, for the operations anomalies name. */
  operations: Map<number, NamedOperation>;
}

export function preparePageData(results: RunResults, history: readonly HistoryEntry[], statuses: readonly StatusSample[]): PreparedPage {
  const table = buildOperationTable(history);
  const faults = faultBands(results, history, table.lastUs);
  const leaders = leaderChanges(statuses);
  const starts = [table.count > 0 ? table.startUs[0]! : Infinity, ...faults.map((fault) => fault.start)];
  const ends = [table.lastUs, ...faults.map((fault) => fault.end)];
  const fromUs = Math.max(0, Math.min(...starts) === Infinity ? 0 : Math.min(...starts));
  const toUs = Math.max(fromUs + 1e6, ...ends);
  const anomalies = collectAnomalies(
    results.checkers,
    { operationOfInvoke: (index) => table.operationOfInvoke.get(index), startUs: (op) => table.startUs[op]! },
    toUs,
  );
  const data: PageData = {
    fromUs,
    toUs,
    count: table.count,
    strings: table.strings,
    ops: table.columns,
    lanes: table.lanes,
    faults,
    leaders: leaders.filter((change) => change.time >= fromUs - 5e6 && change.time <= toUs),
    anomalies,
    series: rateSeries(table, fromUs, toUs),
  };
  return { data, table, operations: operationsByInvoke(history) };
}

/** JSON that is safe inside a <script> element: no "</script>", no line separators that end a JS string. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
