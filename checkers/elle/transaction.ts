// The transactions an Elle-style check reads: their micro-operations, outcome, times and place in the history.

export type ElleKey = string | number;
export type ElleValue = string | number;

/** A read: a list (list-append) or one value (rw-register; null when the key is absent). */
export type ReadValue = readonly ElleValue[] | ElleValue | null;

export type MicroOp =
  | { f: "append"; key: ElleKey; value: ElleValue }
  | { f: "w"; key: ElleKey; value: ElleValue }
  /** `value` is missing when the read's result is unknown; `modRevision` is etcd's for the value read, when known. */
  | { f: "r"; key: ElleKey; value?: ReadValue; modRevision?: number };

/** ok: committed; info: may or may not have committed; fail: certainly did not. */
export type TransactionOutcome = "ok" | "info" | "fail";

export interface Transaction {
  /** Position among the checked transactions, from 0. */
  id: number;
  process: number;
  outcome: TransactionOutcome;
  /** What it did (ok), or meant to do (info, fail). */
  ops: MicroOp[];
  /** Writes it meant to make and certainly did not (the branch an etcd txn did not take). */
  aborted?: MicroOp[];
  /** Run-clock nanoseconds of its invocation and completion; completion is Infinity when unknown. */
  call: number;
  ret: number;
  /** History indexes of its invocation and (ok) completion: their order is real time's. */
  invokeIndex: number;
  completeIndex?: number;
  node?: string;
  /** etcd's revision of its writes: the header revision of a committed etcd txn that wrote. */
  revision?: number;
}

/** Writes that certainly did not happen: a failed transaction's, and those of the branch an etcd txn did not take. */
export function abortedWrites(transaction: Transaction): MicroOp[] {
  const aborted = transaction.aborted ?? [];
  return transaction.outcome === "fail" ? [...transaction.ops.filter((op) => op.f !== "r"), ...aborted] : aborted;
}
