// Provably illegal mutations of generated histories (values written are unique, so each proof is short).
import type { HistoryEntry } from "../../../../record/history/entry.ts";
import type { Random } from "../../../../harness/random.ts";

export type MutationKind = "never-written" | "future-read" | "stale-read";

export interface Mutation {
  kind: MutationKind;
  /** The completion entry changed, by `index`. */
  index: number;
  /** Why no linearization exists. */
  proof: string;
  entries: HistoryEntry[];
}

const reads = new Set(["read", "get"]);
const writes = new Set(["write", "put", "append"]);

interface Op {
  invoke: HistoryEntry;
  completion: HistoryEntry | undefined;
}

function operationsOf(entries: readonly HistoryEntry[]): Op[] {
  const pending = new Map<number | string, Op>();
  const ops: Op[] = [];
  for (const entry of entries) {
    if (entry.type === "invoke") {
      const op = { invoke: entry, completion: undefined };
      pending.set(entry.process, op);
      ops.push(op);
    } else {
      const op = pending.get(entry.process);
      if (op) op.completion = entry;
      pending.delete(entry.process);
    }
  }
  return ops;
}

/** The value written (unique): a register then holds exactly it; a kv string then contains it. */
function shown(op: Op): unknown {
  return op.invoke.value;
}

/**
 * Changes one ok read of a history from simulateHistory (register, kv, or etcd gets) so that no
 * linearization exists; undefined when the history has no place for this kind of mutation.
 *  - never-written: the read returns a value no operation ever writes.
 *  - future-read: the read returns the unique value of a write invoked after the read completed.
 *  - stale-read (registers): the read returns the value of a write overwritten by another ok write, both
 *    completed before the read was invoked.
 */
export function mutateHistory(entries: readonly HistoryEntry[], kind: MutationKind, random: Random): Mutation | undefined {
  const ops = operationsOf(entries);
  const okReads = ops.filter((op) => reads.has(op.invoke.f) && op.completion?.type === "ok");
  const candidates: { read: Op; value: unknown; proof: string }[] = [];
  for (const read of okReads) {
    const key = read.invoke.key;
    const done = read.completion!.time;
    if (kind === "never-written") {
      const value = read.invoke.f === "read" ? "never-written" : "x-never-written-y";
      candidates.push({ read, value, proof: `no operation writes ${JSON.stringify(value)}` });
    } else if (kind === "future-read") {
      const later = ops.filter((w) => writes.has(w.invoke.f) && w.invoke.key === key && w.invoke.time > done);
      if (later.length > 0) {
        const w = random.pick(later);
        candidates.push({
          read,
          value: shown(w),
          proof: `only the ${w.invoke.f} invoked at index ${w.invoke.index} writes ${JSON.stringify(shown(w))}, after the read completed`,
        });
      }
    } else if (read.invoke.f === "read") {
      const before = ops.filter((w) => w.invoke.f === "write" && w.invoke.key === key && w.completion?.type === "ok" && w.completion.time < read.invoke.time);
      for (const w1 of before) {
        const w2 = before.find((w) => w.invoke.time > w1.completion!.time);
        if (w2) {
          candidates.push({
            read,
            value: w1.invoke.value,
            proof: `the write at index ${w1.invoke.index} was overwritten by the write at index ${w2.invoke.index} before the read`,
          });
          break;
        }
      }
    }
  }
  if (candidates.length === 0) return undefined;
  const chosen = random.pick(candidates);
  const completion = chosen.read.completion!;
  const mutated = entries.map((e) => (e === completion ? { ...e, value: chosen.value } : e));
  return { kind, index: completion.index, proof: chosen.proof, entries: mutated };
}
