// The client operations of a history as compact columns for the page: one lane per process, values in a string table.
import type { HistoryEntry } from "../../record/history/entry.ts";

export const opType = { ok: 0, fail: 1, info: 2 } as const;

/** Column i describes operation i; operations are in the order they were invoked. Times are in µs on the run clock. */
export interface OperationColumns {
  lane: number[];
  /** Invocation time minus the previous operation's (the first one's minus 0): small numbers in JSON. */
  startDelta: number[];
  /** Invocation to completion; -1 when the run ended before the operation completed. */
  duration: number[];
  /** 0 ok, 1 fail, 2 info (a missing completion counts as info). */
  type: number[];
  /** Indexes into the string table; -1 when absent. */
  f: number[];
  key: number[];
  input: number[];
  output: number[];
  error: number[];
  /** history.jsonl index of the invocation, minus the previous operation's. */
  indexDelta: number[];
  /** History index of the completion minus that of the invocation; -1 when there is none. */
  completeOffset: number[];
}

export interface Lane {
  process: number;
  node: string | null;
  operations: number;
}

export interface OperationTable {
  columns: OperationColumns;
  lanes: Lane[];
  strings: string[];
  count: number;
  /** Operation number of each invocation's history index, for evidence that names history lines. */
  operationOfInvoke: Map<number, number>;
  /** Run-clock µs of each operation's invocation and completion (NaN when it never completed). */
  startUs: Float64Array;
  endUs: Float64Array;
  /** Latest time any entry was recorded, in µs. */
  lastUs: number;
}

const maxValueChars = 160;

export function buildOperationTable(history: readonly HistoryEntry[]): OperationTable {
  const strings: string[] = [];
  const stringIds = new Map<string, number>();
  const intern = (text: string | undefined): number => {
    if (text === undefined) return -1;
    let id = stringIds.get(text);
    if (id === undefined) {
      id = strings.length;
      strings.push(text);
      stringIds.set(text, id);
    }
    return id;
  };

  const invokes: HistoryEntry[] = [];
  const completes: Array<HistoryEntry | undefined> = [];
  const open = new Map<number, number>();
  let lastUs = 0;
  for (const entry of history) {
    lastUs = Math.max(lastUs, toUs(entry.time));
    if (entry.process === "nemesis") continue;
    if (entry.type === "invoke") {
      open.set(entry.process, invokes.length);
      invokes.push(entry);
      completes.push(undefined);
      continue;
    }
    // A completion with no invocation (a damaged history) is left out rather than failing the report.
    const op = open.get(entry.process);
    if (op === undefined) continue;
    completes[op] = entry;
    open.delete(entry.process);
  }

  const laneOf = new Map<number, number>();
  const processes = [...new Map(invokes.map((entry) => [entry.process as number, entry.node ?? null])).entries()];
  processes.sort(([a, nodeA], [b, nodeB]) => compareNodes(nodeA, nodeB) || a - b);
  const lanes: Lane[] = processes.map(([process, node], index) => {
    laneOf.set(process, index);
    return { process, node, operations: 0 };
  });

  const count = invokes.length;
  const columns: OperationColumns = {
    lane: new Array<number>(count),
    startDelta: new Array<number>(count),
    duration: new Array<number>(count),
    type: new Array<number>(count),
    f: new Array<number>(count),
    key: new Array<number>(count),
    input: new Array<number>(count),
    output: new Array<number>(count),
    error: new Array<number>(count),
    indexDelta: new Array<number>(count),
    completeOffset: new Array<number>(count),
  };
  const startUs = new Float64Array(count);
  const endUs = new Float64Array(count);
  const operationOfInvoke = new Map<number, number>();
  let previousStart = 0;
  let previousIndex = 0;
  for (let op = 0; op < count; op++) {
    const invoke = invokes[op]!;
    const complete = completes[op];
    const lane = laneOf.get(invoke.process as number)!;
    lanes[lane]!.operations++;
    const start = toUs(invoke.time);
    startUs[op] = start;
    endUs[op] = complete ? Math.max(start, toUs(complete.time)) : Number.NaN;
    columns.lane[op] = lane;
    columns.startDelta[op] = start - previousStart;
    columns.duration[op] = complete ? endUs[op]! - start : -1;
    columns.type[op] = complete ? opType[complete.type as keyof typeof opType] : opType.info;
    columns.f[op] = intern(invoke.f);
    columns.key[op] = intern(invoke.key);
    columns.input[op] = intern(valueText(invoke.value));
    columns.output[op] = intern(complete ? valueText(complete.value) : undefined);
    columns.error[op] = intern(complete?.error);
    columns.indexDelta[op] = invoke.index - previousIndex;
    columns.completeOffset[op] = complete ? complete.index - invoke.index : -1;
    operationOfInvoke.set(invoke.index, op);
    previousStart = start;
    previousIndex = invoke.index;
  }
  return { columns, lanes, strings, count, operationOfInvoke, startUs, endUs, lastUs };
}

export const toUs = (ns: number): number => Math.round(ns / 1000);

/** A value as a short line for a hover: JSON, cut at a readable length, arrays prefixed with their length. */
export function valueText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  let text: string;
  try {
    text = typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  if (Array.isArray(value) && value.length > 3) text = `${value.length} items: ${text}`;
  return text.length > maxValueChars ? `${text.slice(0, maxValueChars - 1)}…` : text;
}

/** n2 before n10; operations with no member last. */
function compareNodes(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a.localeCompare(b, "en", { numeric: true });
}
