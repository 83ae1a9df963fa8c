// Pairs each client invocation with its completion, so checkers reason about whole operations.
import type { EntryType, HistoryEntry } from "../record/history/entry.ts";

export interface Operation {
  process: number;
  f: string;
  key?: string;
  /** The member the operation was sent to, or (a client given every member) the one that answered, when known. */
  node?: string;
  invoke: HistoryEntry;
  /** Missing when the run ended before the operation completed (treated like info). */
  complete?: HistoryEntry;
  type: Exclude<EntryType, "invoke">;
}

export function pairOperations(history: HistoryEntry[]): Operation[] {
  const open = new Map<number, Operation>();
  const operations: Operation[] = [];
  for (const entry of history) {
    if (entry.process === "nemesis") continue;
    if (entry.type === "invoke") {
      const operation: Operation = { process: entry.process, f: entry.f, invoke: entry, type: "info" };
      if (entry.key !== undefined) operation.key = entry.key;
      if (entry.node !== undefined) operation.node = entry.node;
      open.set(entry.process, operation);
      operations.push(operation);
      continue;
    }
    const operation = open.get(entry.process);
    if (!operation) throw new Error(`history line ${entry.index}: ${entry.type} for process ${entry.process} with no invocation`);
    operation.complete = entry;
    operation.type = entry.type;
    // A client given every member names no member when it invokes; its answer names the one that answered.
    if (operation.node === undefined && entry.node !== undefined) operation.node = entry.node;
    open.delete(entry.process);
  }
  return operations;
}
