// Histories generated from a serial execution (so valid under every model), and small ones perturbed for the brute-force comparison.
import fc from "fast-check";
import type { Op, PlannedTxn } from "./histories.ts";

export type Workload = "list-append" | "rw-register";

interface TxnShape {
  ops: { kind: "r" | "w"; key: number }[];
  outcome: "ok" | "info" | "fail";
  /** Whether an info transaction committed. */
  committed: boolean;
  lead: number;
  lag: number;
}

export const shapes = (maxTxns: number, keys: number) =>
  fc.array(
    fc.record({
      ops: fc.array(fc.record({ kind: fc.constantFrom("r" as const, "w" as const), key: fc.nat(keys - 1) }), { minLength: 1, maxLength: 4 }),
      outcome: fc.constantFrom("ok", "ok", "ok", "ok", "ok", "ok", "info", "fail") as fc.Arbitrary<TxnShape["outcome"]>,
      committed: fc.boolean(),
      lead: fc.nat(150),
      lag: fc.nat(150),
    }),
    { minLength: 1, maxLength: maxTxns },
  );

/**
 * Runs the transactions one after another (each at time 100 * i, inside its own interval, so real time
 * agrees with the order), on processes that never run two at once; an info transaction's process is not
 * used again, as Jepsen's clients do. rw-register histories carry etcd's revisions: one per committed
 * transaction that writes, on its writes and on the reads of its values.
 */
export function serialHistory(txnShapes: readonly TxnShape[], workload: Workload, keyPrefix = "k"): PlannedTxn[] {
  const lists = new Map<string, number[]>();
  const registers = new Map<string, { value: number; revision: number } | null>();
  let nextValue = 1;
  let revision = 1;
  const busyUntil: number[] = [];
  const retired = new Set<number>();
  return txnShapes.map((shape, i) => {
    const commit = 100 * (i + 1);
    const call = commit - shape.lead;
    const ret = commit + shape.lag;
    let process = busyUntil.findIndex((until, p) => !retired.has(p) && until < call);
    if (process === -1) process = busyUntil.length;
    busyUntil[process] = shape.outcome === "info" ? Infinity : ret;
    if (shape.outcome === "info") retired.add(process);
    const applies = shape.outcome === "ok" || (shape.outcome === "info" && shape.committed);
    const ops: Op[] = [];
    const modRevisions: Record<number, number> = {};
    const writes = shape.ops.some((op) => op.kind === "w");
    const myRevision = applies && writes ? ++revision : undefined;
    shape.ops.forEach(({ kind, key }, index) => {
      const name = `${keyPrefix}${key}`;
      if (workload === "list-append") {
        const list = lists.get(name) ?? [];
        if (kind === "r") ops.push(["r", name, [...list]]);
        else {
          const value = nextValue++;
          ops.push(["append", name, value]);
          if (applies) lists.set(name, [...list, value]);
        }
        return;
      }
      const current = registers.get(name) ?? null;
      if (kind === "r") {
        ops.push(["r", name, current?.value ?? null]);
        if (current) modRevisions[index] = current.revision;
      } else {
        const value = nextValue++;
        ops.push(["w", name, value]);
        if (applies) registers.set(name, { value, revision: myRevision! });
      }
    });
    const txn: PlannedTxn = { process, ops, outcome: shape.outcome, call, ret: shape.outcome === "info" ? Infinity : ret };
    if (workload === "rw-register" && shape.outcome === "ok") {
      if (myRevision !== undefined) txn.revision = myRevision;
      txn.modRevisions = modRevisions;
    }
    return txn;
  });
}

/** One change to one committed read's result: what a faulty database might return instead. */
export const perturbations = fc.record({ txn: fc.nat(), op: fc.nat(), how: fc.constantFrom("drop-last", "swap", "add", "empty", "other"), value: fc.nat(30) });

export function perturb(txns: PlannedTxn[], change: { txn: number; op: number; how: string; value: number }): PlannedTxn[] {
  const reads = txns.flatMap((txn, t) => ((txn.outcome ?? "ok") === "ok" ? txn.ops.flatMap((op, o) => (op[0] === "r" ? [[t, o] as const] : [])) : []));
  if (reads.length === 0) return txns;
  const [t, o] = reads[change.txn % reads.length]!;
  const copy = txns.map((txn) => ({ ...txn, ops: txn.ops.map((op) => [...op] as Op) }));
  const op = copy[t]!.ops[o]!;
  const list = [...(op[2] as number[])];
  if (change.how === "drop-last") list.pop();
  else if (change.how === "swap" && list.length >= 2) [list[0], list[1]] = [list[1]!, list[0]!];
  else if (change.how === "add") list.push(change.value);
  else if (change.how === "empty") list.length = 0;
  else {
    const [t2, o2] = reads[change.value % reads.length]!;
    const other = txns[t2]!.ops[o2]!;
    if (other[1] === op[1]) list.splice(0, list.length, ...(other[2] as number[]));
  }
  op[2] = list;
  return copy;
}
