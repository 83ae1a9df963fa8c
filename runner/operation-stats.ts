// How many client operations a history holds, by outcome and by member, and how many client processes made them.
import { pairOperations } from "../checkers/operations.ts";
import type { HistoryEntry } from "../record/history/entry.ts";
import type { RunStats } from "../record/results.ts";

export function operationStats(history: HistoryEntry[]): Pick<RunStats, "operations" | "operationsByNode" | "clientProcesses"> {
  const operations = { ok: 0, fail: 0, info: 0 };
  const operationsByNode: RunStats["operationsByNode"] = {};
  const processes = new Set<number>();
  for (const op of pairOperations(history)) {
    operations[op.type]++;
    const node = (operationsByNode[op.node ?? "?"] ??= { ok: 0, fail: 0, info: 0 });
    node[op.type]++;
    processes.add(op.process);
  }
  return { operations, operationsByNode, clientProcesses: processes.size };
}
