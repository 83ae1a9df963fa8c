// The operations an anomaly names, found by their invocation's history index and put in words for reports.
import type { HistoryEntry } from "../record/history/entry.ts";

export interface NamedOperation {
  invoke: HistoryEntry;
  complete?: HistoryEntry;
}

/** Every client operation by its invocation's history index. */
export function operationsByInvoke(history: readonly HistoryEntry[]): Map<number, NamedOperation> {
  const byInvoke = new Map<number, NamedOperation>();
  const open = new Map<number, NamedOperation>();
  for (const entry of history) {
    if (entry.process === "nemesis") continue;
    if (entry.type === "invoke") {
      const op = { invoke: entry };
      byInvoke.set(entry.index, op);
      open.set(entry.process, op);
      continue;
    }
    const op = open.get(entry.process);
    if (!op) continue;
    (op as { complete?: HistoryEntry }).complete = entry;
    open.delete(entry.process);
  }
  return byInvoke;
}

const maxValueChars = 80;

const valueText = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text === undefined ? "" : text.length > maxValueChars ? `${text.slice(0, maxValueChars - 1)}…` : text;
};

/** "write r1 7 -> ok", "read r1 -> 7", "cas r0 [3,4] -> fail: compare failed", "txn {...} -> unknown". */
export function operationText(op: NamedOperation): string {
  const { invoke, complete } = op;
  const input = invoke.value === undefined ? "" : ` ${valueText(invoke.value)}`;
  const what = `${invoke.f}${invoke.key !== undefined ? ` ${invoke.key}` : ""}${input}`;
  if (!complete) return `${what} -> no answer`;
  if (complete.type === "ok") {
    const same = JSON.stringify(complete.value) === JSON.stringify(invoke.value);
    return `${what} -> ok${complete.value === undefined || same ? "" : ` ${valueText(complete.value)}`}`;
  }
  return `${what} -> ${complete.type === "info" ? "unknown" : "fail"}${complete.error ? `: ${complete.error}` : ""}`;
}

/** One line: who did what where and when, and where it sits in history.jsonl. */
export function operationLine(op: NamedOperation): string {
  const { invoke, complete } = op;
  const when = `${(invoke.time / 1e9).toFixed(3)}-${complete ? `${(complete.time / 1e9).toFixed(3)}s` : "never answered"}`;
  return `${operationText(op)} by process ${invoke.process}${invoke.node ? ` on ${invoke.node}` : ""}, ${when}, history line ${invoke.index + 1}`;
}
