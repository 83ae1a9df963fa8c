// Reference checker for tests: tries every order of every subset of uncertain operations on a plain store.
import type { HistoryEntry } from "../../../record/history/entry.ts";
import { replay, type Spec } from "./generators/specs.ts";

interface Op {
  invoke: HistoryEntry;
  /** undefined: outcome unknown (info, or never completed). */
  completion: HistoryEntry | undefined;
  call: number;
  ret: number;
}

/**
 * Whether some order of the operations respects real time (a before b when a completed before b was
 * invoked), includes every `ok` operation and any subset of the uncertain ones, never `fail` ones, and
 * replays on `spec` with the recorded results. Exponential: for histories of a dozen operations at most.
 * It shares nothing with the WGL search, partitioning or the models, so they can be tested against it.
 */
export function bruteForceLinearizable<Store>(entries: readonly HistoryEntry[], spec: Spec<Store>): boolean {
  const pending = new Map<number | string, HistoryEntry>();
  const ops: Op[] = [];
  for (const entry of entries) {
    if (entry.process === "nemesis") continue;
    if (entry.type === "invoke") {
      pending.set(entry.process, entry);
      continue;
    }
    const invoke = pending.get(entry.process)!;
    pending.delete(entry.process);
    if (entry.type === "ok") ops.push({ invoke, completion: entry, call: invoke.time, ret: entry.time });
    else if (entry.type === "info") ops.push({ invoke, completion: undefined, call: invoke.time, ret: Infinity });
  }
  for (const invoke of pending.values()) ops.push({ invoke, completion: undefined, call: invoke.time, ret: Infinity });
  if (ops.length > 30) throw new Error(`brute force is for small histories, got ${ops.length} operations`);

  const requiredMask = ops.reduce((mask, op, i) => (op.completion ? mask | (1 << i) : mask), 0);
  const failed = new Set<string>();
  const search = (placed: number, store: Store): boolean => {
    if ((placed & requiredMask) === requiredMask) return true;
    const memo = `${placed}:${JSON.stringify(store, (_, v: unknown) => (v instanceof Map ? [...v].sort() : v))}`;
    if (failed.has(memo)) return false;
    for (let i = 0; i < ops.length; i++) {
      if (placed & (1 << i)) continue;
      const op = ops[i]!;
      // Every ok operation that completed before this one was invoked must already be placed.
      if (ops.some((other, j) => j !== i && !(placed & (1 << j)) && other.ret < op.call)) continue;
      const next = replay(spec, store, op.invoke, op.completion);
      if (next !== undefined && search(placed | (1 << i), next)) return true;
    }
    failed.add(memo);
    return false;
  };
  return search(0, spec.create());
}
