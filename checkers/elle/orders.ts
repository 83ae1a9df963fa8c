// The orders clients saw without reading anything: one client's transactions in turn, and real time.
import { GraphBuilder, PROCESS, REALTIME } from "./graph.ts";
import type { Transaction } from "./transaction.ts";

/**
 * One client's transactions in order: an edge from each committed one to its process's next that may
 * have committed. None leaves an uncertain transaction, which may still take effect after its process moved on.
 */
export function addProcessOrder(transactions: readonly Transaction[], graph: GraphBuilder): void {
  const last = new Map<number, Transaction>();
  for (const t of transactions) {
    if (t.outcome === "fail") continue;
    const previous = last.get(t.process);
    if (previous && previous.outcome === "ok") graph.add(previous.id, t.id, PROCESS);
    last.set(t.process, t);
  }
}

/**
 * Real-time order: T1 < T2 when T1 completed before T2 was invoked (history positions). Rather than an
 * edge per such pair, a chain of barrier nodes, one per completion in order (nodes `transactions.length`
 * onwards): each committed transaction leads to its completion's barrier, each barrier to the next, and
 * the barrier of the last completion before an invocation leads to that transaction. So T1 reaches T2
 * through the chain exactly when T1 completed first, with three edges per transaction. An uncertain
 * transaction never completes, so nothing follows it.
 */
export function addRealTimeOrder(transactions: readonly Transaction[], completionOrder: Int32Array, graph: GraphBuilder): void {
  const barrier = (k: number) => transactions.length + k;
  for (let k = 0; k < completionOrder.length; k++) {
    graph.add(completionOrder[k]!, barrier(k), REALTIME);
    if (k > 0) graph.add(barrier(k - 1), barrier(k), REALTIME);
  }
  let completed = 0;
  for (const t of transactions) {
    if (t.outcome === "fail") continue;
    while (completed < completionOrder.length && transactions[completionOrder[completed]!]!.completeIndex! < t.invokeIndex) completed++;
    if (completed > 0) graph.add(barrier(completed - 1), t.id, REALTIME);
  }
}
