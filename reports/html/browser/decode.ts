// In the page: the compact operation columns decoded into typed arrays, per-lane indexes and hover text.
/// <reference lib="dom" />
// Browser modules are inlined into the page as the source of their exported functions and classes
// (see ../client-script.ts): keep every top-level declaration an exported function or class, with no
// top-level constants and no imports other than types.
import type { PageData } from "../page-data.ts";

export interface OperationModel {
  data: PageData;
  count: number;
  /** Seconds on the run clock; end is NaN for an operation that never completed. */
  start: Float64Array;
  end: Float64Array;
  /** 0 ok, 1 fail, 2 info. */
  type: Uint8Array;
  lane: Int32Array;
  /** Each lane's operations in invocation order; a process runs one operation at a time, so ends are ordered too. */
  laneOps: Int32Array[];
  /** history.jsonl index of each operation's invocation. */
  invokeIndex: Float64Array;
  /** The shown span, in seconds. */
  from: number;
  to: number;
  /** Lanes grouped by member: [node, first lane, last lane]. */
  groups: Array<{ node: string; first: number; last: number }>;
}

export function decodeOperations(data: PageData): OperationModel {
  const count = data.count;
  const ops = data.ops;
  const start = new Float64Array(count);
  const end = new Float64Array(count);
  const type = new Uint8Array(count);
  const lane = new Int32Array(count);
  const invokeIndex = new Float64Array(count);
  const perLane = new Int32Array(data.lanes.length);
  let startUs = 0;
  let index = 0;
  for (let op = 0; op < count; op++) {
    startUs += ops.startDelta[op]!;
    index += ops.indexDelta[op]!;
    const duration = ops.duration[op]!;
    start[op] = startUs / 1e6;
    end[op] = duration < 0 ? Number.NaN : (startUs + duration) / 1e6;
    type[op] = ops.type[op]!;
    lane[op] = ops.lane[op]!;
    invokeIndex[op] = index;
    perLane[lane[op]!]!++;
  }
  const laneOps = Array.from(perLane, (size) => new Int32Array(size));
  const filled = new Int32Array(data.lanes.length);
  for (let op = 0; op < count; op++) {
    const at = lane[op]!;
    laneOps[at]![filled[at]!++] = op;
  }
  const groups: OperationModel["groups"] = [];
  data.lanes.forEach((info, at) => {
    const node = info.node ?? "?";
    const last = groups[groups.length - 1];
    if (last && last.node === node) last.last = at;
    else groups.push({ node, first: at, last: at });
  });
  return { data, count, start, end, type, lane, laneOps, invokeIndex, from: data.fromUs / 1e6, to: data.toUs / 1e6, groups };
}

/** How lanes are drawn: one row per process, or processes that never overlap in time packed into shared rows. */
export interface RowLayout {
  packed: boolean;
  /** Each row's operations, in invocation order. */
  rows: Int32Array[];
  rowOfLane: Int32Array;
  labels: string[];
  groups: Array<{ node: string; first: number; last: number }>;
}

/**
 * Packing puts each process, in order of its first invocation, in the first row of its member whose
 * last operation ended before it began. A slot that continues as a fresh process after an info then
 * stays on one row, and a long run with many such processes keeps one row per concurrent client.
 */
export function layoutRows(model: OperationModel, packed: boolean): RowLayout {
  const lanes = model.data.lanes;
  if (!packed) {
    return {
      packed,
      rows: model.laneOps,
      rowOfLane: Int32Array.from(lanes, (_, lane) => lane),
      labels: lanes.map((lane) => `p${lane.process}`),
      groups: model.groups,
    };
  }
  const rowOfLane = new Int32Array(lanes.length);
  const rowLanes: number[][] = [];
  const groups: RowLayout["groups"] = [];
  const endOf = (op: number): number => (Number.isNaN(model.end[op]!) ? model.to : model.end[op]!);
  for (const group of model.groups) {
    const members: number[] = [];
    for (let lane = group.first; lane <= group.last; lane++) if (model.laneOps[lane]!.length > 0) members.push(lane);
    members.sort((a, b) => model.start[model.laneOps[a]![0]!]! - model.start[model.laneOps[b]![0]!]!);
    const first = rowLanes.length;
    const rowEnds: number[] = [];
    for (const lane of members) {
      const ops = model.laneOps[lane]!;
      const begins = model.start[ops[0]!]!;
      let row = rowEnds.findIndex((end) => end < begins);
      if (row < 0) {
        row = rowEnds.length;
        rowEnds.push(0);
        rowLanes.push([]);
      }
      rowEnds[row] = endOf(ops[ops.length - 1]!);
      rowLanes[first + row]!.push(lane);
      rowOfLane[lane] = first + row;
    }
    if (rowLanes.length > first) groups.push({ node: group.node, first, last: rowLanes.length - 1 });
  }
  const rows = rowLanes.map((members) => {
    const size = members.reduce((sum, lane) => sum + model.laneOps[lane]!.length, 0);
    const ops = new Int32Array(size);
    let at = 0;
    for (const lane of members) {
      ops.set(model.laneOps[lane]!, at);
      at += model.laneOps[lane]!.length;
    }
    return ops;
  });
  const labels = rowLanes.map((members) => `p${lanes[members[0]!]!.process}${members.length > 1 ? ` +${members.length - 1}` : ""}`);
  return { packed, rows, rowOfLane, labels, groups };
}

/** The operation among a row's whose bar covers time t (within `slack` seconds), or -1. */
export function operationAt(model: OperationModel, ops: Int32Array, t: number, slack: number): number {
  if (ops.length === 0) return -1;
  let low = 0;
  let high = ops.length - 1;
  // The last operation invoked at or before t + slack.
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (model.start[ops[middle]!]! <= t + slack) low = middle;
    else high = middle - 1;
  }
  let best = -1;
  let bestDistance = Infinity;
  for (let at = Math.max(0, low - 1); at <= Math.min(ops.length - 1, low + 1); at++) {
    const op = ops[at]!;
    const from = model.start[op]!;
    const to = Number.isNaN(model.end[op]!) ? model.to : model.end[op]!;
    const distance = t < from ? from - t : t > to ? t - to : 0;
    if (distance <= slack && distance < bestDistance) {
      best = op;
      bestDistance = distance;
    }
  }
  return best;
}

/** First position in a lane's operations whose bar may reach t (its invocation is the last one at or before t). */
export function firstVisible(model: OperationModel, ops: Int32Array, t: number): number {
  let low = 0;
  let high = ops.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (model.start[ops[middle]!]! <= t) low = middle + 1;
    else high = middle;
  }
  return Math.max(0, low - 1);
}

export interface OperationText {
  title: string;
  lines: string[];
  outcome: "ok" | "fail" | "info";
}

export function describeOperation(model: OperationModel, op: number): OperationText {
  const { data } = model;
  const text = (column: number[], at: number): string | undefined => {
    const id = column[at]!;
    return id < 0 ? undefined : data.strings[id];
  };
  const laneInfo = data.lanes[model.lane[op]!]!;
  const f = text(data.ops.f, op) ?? "?";
  const key = text(data.ops.key, op);
  const input = text(data.ops.input, op);
  const output = text(data.ops.output, op);
  const error = text(data.ops.error, op);
  const outcome = (["ok", "fail", "info"] as const)[model.type[op]!] ?? "info";
  const start = model.start[op]!;
  const end = model.end[op]!;
  const lines: string[] = [];
  if (input !== undefined) lines.push(`sent: ${input}`);
  const completed = !Number.isNaN(end);
  const result = completed ? `${outcome}${output !== undefined ? `: ${output}` : ""}` : "no completion recorded (the run ended first)";
  lines.push(`result: ${result}`);
  if (error !== undefined) lines.push(`error: ${error}`);
  if (outcome === "info") lines.push("outcome unknown: it may take effect at any later time, or never");
  lines.push(
    completed
      ? `${start.toFixed(3)} s → ${end.toFixed(3)} s (${((end - start) * 1000).toFixed(1)} ms)`
      : `invoked ${start.toFixed(3)} s`,
  );
  const complete = data.ops.completeOffset[op]!;
  const invoke = model.invokeIndex[op]!;
  lines.push(`history.jsonl index ${invoke}${complete >= 0 ? ` and ${invoke + complete}` : ""}`);
  for (const anomaly of data.anomalies) {
    if (anomaly.op === op) lines.push(`⚠ ${anomaly.title}`);
  }
  const title = `process ${laneInfo.process}${laneInfo.node ? ` on ${laneInfo.node}` : ""}: ${f}${key !== undefined ? ` ${key}` : ""}`;
  return { title, lines, outcome };
}
