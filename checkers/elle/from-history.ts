// Transactions from a history: Jepsen's micro-operation vectors ([[:append 3 5] [:r 4 [1 2]]]) or the etcd txns our workloads record.
//
// Our append workload's txns: a get is a read of the key's list (JSON; absent is empty), a put of a list
// an append of its last element; our wr workload's: a get is a read of the value (with its mod revision),
// a put a write. Each recorded etcd txn is one transaction; one that took its failure branch committed
// only that branch's reads, and the success branch's writes certainly did not happen. A single get (as the
// final reads after a run make) is a transaction of one read.
import type { HistoryEntry } from "../../record/history/entry.ts";
import type { GetResult, KeyRequest, TxnOutcomeValue, TxnSpec } from "../../record/values/etcd.ts";
import { HistoryShapeError } from "../linearizability/model.ts";
import type { ElleWorkload } from "./check.ts";
import type { ElleValue, MicroOp, ReadValue, Transaction } from "./transaction.ts";

export interface TransactionHistory {
  transactions: Transaction[];
  /** Client operations that are not transactions (left out). */
  ignored: number;
}

/**
 * Reads each transaction's micro-operations as soon as it completes, so a history can be streamed through
 * entry by entry: only the invocations still open are held.
 */
export function transactionsFromHistory(history: Iterable<HistoryEntry>, workload: ElleWorkload): TransactionHistory {
  const transactions: Transaction[] = [];
  const invokes = new Map<number, HistoryEntry>();
  const open = new Map<number, Transaction>();
  let ignored = 0;
  for (const entry of history) {
    if (entry.process === "nemesis") continue;
    if (entry.type === "invoke") {
      if (entry.f !== "txn" && !(entry.f === "get" && entry.key !== undefined)) {
        ignored++;
        continue;
      }
      const transaction: Transaction = { id: transactions.length, process: entry.process, outcome: "info", ops: [], call: entry.time, ret: Infinity, invokeIndex: entry.index };
      if (entry.node !== undefined) transaction.node = entry.node;
      transactions.push(transaction);
      invokes.set(transaction.id, entry);
      open.set(entry.process, transaction);
      continue;
    }
    const transaction = open.get(entry.process);
    const invoke = transaction && invokes.get(transaction.id);
    if (!transaction || !invoke || entry.f !== invoke.f) continue;
    open.delete(entry.process);
    invokes.delete(transaction.id);
    transaction.outcome = entry.type === "ok" ? "ok" : entry.type === "fail" ? "fail" : "info";
    if (transaction.outcome === "ok") {
      transaction.ret = entry.time;
      transaction.completeIndex = entry.index;
      if (entry.revision !== undefined) transaction.revision = entry.revision;
    }
    if (transaction.node === undefined && entry.node !== undefined) transaction.node = entry.node;
    readOperations(transaction, invoke, entry, workload);
  }
  // Invocations left open stay uncertain.
  for (const [id, invoke] of invokes) readOperations(transactions[id]!, invoke, undefined, workload);
  return { transactions, ignored };
}

function readOperations(transaction: Transaction, invoke: HistoryEntry, complete: HistoryEntry | undefined, workload: ElleWorkload): void {
  if (invoke.f === "get") {
    // A single get (the final reads after the workload) is a transaction of one read.
    const request: KeyRequest = { f: "get", key: invoke.key! };
    transaction.ops = [etcdOp(request, transaction.outcome === "ok" ? { result: complete!.value as GetResult } : undefined, complete ?? invoke, workload)];
    return;
  }
  if (Array.isArray(invoke.value)) {
    const source = transaction.outcome === "ok" && complete && Array.isArray(complete.value) ? complete : invoke;
    transaction.ops = (source.value as unknown[]).map((op) => microOp(op, source, transaction.outcome === "ok" && source === complete, workload));
    return;
  }
  const spec = invoke.value as Partial<TxnSpec> | undefined;
  if (!spec || !Array.isArray(spec.success) || !Array.isArray(spec.failure)) {
    throw new HistoryShapeError(invoke, "a txn needs a value that is a list of micro-operations ([[\"append\", k, v], [\"r\", k, null]]) or an etcd txn ({compare, success, failure})");
  }
  if (transaction.outcome !== "ok") {
    transaction.ops = spec.success.map((request) => etcdOp(request, undefined, invoke, workload));
    return;
  }
  const outcome = complete?.value as Partial<TxnOutcomeValue> | undefined;
  if (!outcome || typeof outcome.succeeded !== "boolean" || !Array.isArray(outcome.results)) throw new HistoryShapeError(complete ?? invoke, "an ok etcd txn needs {succeeded, results}");
  const branch = outcome.succeeded ? spec.success : spec.failure;
  transaction.ops = branch.map((request, index) => etcdOp(request, { result: outcome.results![index] as GetResult | undefined }, complete!, workload));
  if (!outcome.succeeded) transaction.aborted = spec.success.filter((request) => request.f === "put").map((request) => etcdOp(request, undefined, invoke, workload));
}

function microOp(raw: unknown, entry: HistoryEntry, completed: boolean, workload: ElleWorkload): MicroOp {
  if (!Array.isArray(raw) || raw.length < 3 || raw.length > 4) throw new HistoryShapeError(entry, `a micro-operation must be [f, key, value], got ${JSON.stringify(raw)}`);
  const [f, key, value, modRevision] = raw as [unknown, unknown, unknown, unknown];
  if (typeof key !== "string" && typeof key !== "number") throw new HistoryShapeError(entry, `a micro-operation's key must be a string or a number, got ${JSON.stringify(key)}`);
  if (f === "append" || f === "w") {
    if (typeof value !== "string" && typeof value !== "number") throw new HistoryShapeError(entry, `${f} needs a string or number value, got ${JSON.stringify(value)}`);
    return { f, key, value };
  }
  if (f !== "r") throw new HistoryShapeError(entry, `a micro-operation is append, r or w, got ${JSON.stringify(f)}`);
  if (!completed) return { f: "r", key };
  if (workload === "list-append" && value !== null && !Array.isArray(value)) throw new HistoryShapeError(entry, `a list-append read returns a list, got ${JSON.stringify(value)}`);
  if (workload === "rw-register" && Array.isArray(value)) throw new HistoryShapeError(entry, `an rw-register read returns one value, got the list ${JSON.stringify(value)}`);
  // Jepsen's list-append reads nil from a key nobody appended to: the empty list.
  if (workload === "list-append" && value === null) return { f: "r", key, value: [] };
  // A fourth element on a read is the mod revision of the value read, as our etcd histories know it.
  return typeof modRevision === "number" ? { f: "r", key, value: value as ReadValue, modRevision } : { f: "r", key, value: value as ReadValue };
}

function etcdOp(request: KeyRequest, answered: { result: GetResult | undefined } | undefined, entry: HistoryEntry, workload: ElleWorkload): MicroOp {
  if (request.f === "delete") throw new HistoryShapeError(entry, "a delete has no place in an append or wr transaction");
  if (request.f === "put") {
    if (workload === "rw-register") return { f: "w", key: request.key, value: request.value };
    const list = parseList(request.value, entry);
    if (list.length === 0) throw new HistoryShapeError(entry, `an append's put of key ${request.key} stores an empty list`);
    return { f: "append", key: request.key, value: list[list.length - 1]! };
  }
  if (!answered) return { f: "r", key: request.key };
  const result = answered.result;
  if (workload === "rw-register") return result ? { f: "r", key: request.key, value: result.value, modRevision: result.modRevision } : { f: "r", key: request.key, value: null };
  return { f: "r", key: request.key, value: result ? parseList(result.value, entry) : [] };
}

function parseList(text: string, entry: HistoryEntry): ElleValue[] {
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list)) throw new HistoryShapeError(entry, `an append workload's value must be a JSON list, got ${JSON.stringify(text)}`);
  return list as ElleValue[];
}

/**
 * elle-append or elle-wr when a history's transactions are written as micro-operations (Jepsen's
 * [[:append k v] [:r k nil]]), by whether any appends; undefined when they are not.
 */
export function guessTransactional(history: readonly HistoryEntry[]): "elle-append" | "elle-wr" | undefined {
  let vectors = false;
  for (const entry of history) {
    if (entry.f !== "txn" || entry.type !== "invoke" || !Array.isArray(entry.value)) continue;
    vectors = true;
    for (const op of entry.value as unknown[]) {
      if (Array.isArray(op) && op[0] === "append") return "elle-append";
      if (Array.isArray(op) && op[0] === "w") return "elle-wr";
    }
  }
  return vectors ? "elle-append" : undefined;
}
