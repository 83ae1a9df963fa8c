// Test histories for the Elle-style checker: transactions written as Jepsen writes them, laid out in time.
import type { HistoryEntry } from "../../../../record/history/entry.ts";

export type Op = ["append" | "w" | "r", string | number, unknown];

export interface PlannedTxn {
  process: number;
  /** What it did, reads with their results; for info and fail, what it meant to do. */
  ops: Op[];
  outcome?: "ok" | "info" | "fail";
  /** Invocation and completion times (any unit); completion ignored for info. */
  call: number;
  ret: number;
  /** etcd revision of its writes, for rw-register histories with revisions. */
  revision?: number;
  /** Mod revisions of its reads, by op index. */
  modRevisions?: Record<number, number>;
}

/** A history.jsonl-shaped list of entries: each transaction's invocation and completion at their times. */
export function historyOf(txns: readonly PlannedTxn[]): HistoryEntry[] {
  const events: { time: number; order: number; entry: Omit<HistoryEntry, "index"> }[] = [];
  txns.forEach((txn, order) => {
    const outcome = txn.outcome ?? "ok";
    const invokeOps = txn.ops.map(([f, k, v]) => [f, k, f === "r" ? null : v]);
    events.push({ time: txn.call, order, entry: { time: txn.call, process: txn.process, type: "invoke", f: "txn", value: invokeOps } });
    if (outcome === "info" && txn.ret === Infinity) return;
    const value = outcome === "ok" ? txn.ops.map((op, index) => (txn.modRevisions?.[index] !== undefined ? [...op, txn.modRevisions[index]] : op)) : invokeOps;
    const entry: Omit<HistoryEntry, "index"> = { time: txn.ret, process: txn.process, type: outcome, f: "txn", value };
    if (txn.revision !== undefined) entry.revision = txn.revision;
    events.push({ time: txn.ret, order, entry });
  });
  // Invocations before completions at the same time: neither then precedes the other.
  events.sort((a, b) => a.time - b.time || (a.entry.type === "invoke" ? 0 : 1) - (b.entry.type === "invoke" ? 0 : 1) || a.order - b.order);
  return events.map((event, index) => ({ index, ...event.entry }) as HistoryEntry);
}

/** Transactions all running at once (no real-time order between them), one process each. */
export function concurrent(...ops: Op[][]): PlannedTxn[] {
  return ops.map((txnOps, index) => ({ process: index, ops: txnOps, call: 0, ret: 100 }));
}
