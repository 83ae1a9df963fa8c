// A brute-force serializability search for small list-append histories: every order of the transactions that committed.
import type { Transaction } from "../../../../checkers/elle/transaction.ts";

/**
 * Whether some serial order of the committed transactions, plus any subset of the uncertain ones, gives
 * every committed read exactly what it returned; `strict` also keeps real-time order.
 */
export function serializable(transactions: readonly Transaction[], strict: boolean): boolean {
  const committed = transactions.filter((t) => t.outcome === "ok");
  const uncertain = transactions.filter((t) => t.outcome === "info" && t.ops.some((op) => op.f === "append"));
  for (let subset = 0; subset < 1 << uncertain.length; subset++) {
    const chosen = [...committed, ...uncertain.filter((_, i) => subset & (1 << i))];
    if (search(chosen, new Map(), new Set(), strict)) return true;
  }
  return false;
}

function search(chosen: readonly Transaction[], state: Map<unknown, unknown[]>, placed: Set<number>, strict: boolean): boolean {
  if (placed.size === chosen.length) return true;
  for (const t of chosen) {
    if (placed.has(t.id)) continue;
    // Under real time, every transaction that completed before this one began must already be placed.
    if (strict && chosen.some((other) => !placed.has(other.id) && other !== t && other.ret < t.call)) continue;
    const next = apply(t, state);
    if (!next) continue;
    placed.add(t.id);
    if (search(chosen, next, placed, strict)) return true;
    placed.delete(t.id);
  }
  return false;
}

function apply(t: Transaction, state: Map<unknown, unknown[]>): Map<unknown, unknown[]> | undefined {
  const next = new Map(state);
  for (const op of t.ops) {
    const list = next.get(op.key) ?? [];
    if (op.f === "append") next.set(op.key, [...list, op.value]);
    else if (op.f === "r" && op.value !== undefined) {
      const read = op.value as unknown[];
      if (read.length !== list.length || read.some((value, i) => value !== list[i])) return undefined;
    }
  }
  return next;
}
