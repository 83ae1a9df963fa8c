// The run checker for linearizability: the recorded client history against a datatype model.
import type { HistoryEntry } from "../harness/history/entry.ts";
import type { Checker } from "./checker.ts";
import { checkHistory } from "./linearizability/check.ts";
import { createModel, type ModelName } from "./linearizability/models/index.ts";
import type { PartitionResult } from "./linearizability/result.ts";

export function linearizabilityChecker(model: ModelName, name = "linearizability", timeoutMs = 60_000): Checker {
  return {
    name,
    check(run) {
      const result = checkHistory(run.history, createModel(model), { timeoutMs });
      const invalid = result.partitions.find((partition) => partition.verdict === "invalid");
      const unknown = result.partitions.find((partition) => partition.verdict === "unknown");
      const counts = `${result.operations} operations (${result.uncertain} uncertain) in ${result.partitions.length} partitions, ${Math.round(result.elapsedMs)} ms`;
      return { ...result, summary: `${describe(invalid ?? unknown, run.history)}${counts}` };
    },
  };
}

function describe(partition: PartitionResult | undefined, history: readonly HistoryEntry[]): string {
  if (!partition) return "";
  const where = partition.label ? `key ${partition.label}: ` : "";
  if (partition.verdict === "unknown") return `${where}could not decide (${partition.reason.message}); `;
  if (partition.verdict !== "invalid") return "";
  const { blocked, stateBefore, prefix } = partition.counterexample;
  const invoke = history.find((entry) => entry.index === blocked.invokeIndex);
  const at = invoke ? ` on ${invoke.node ?? "?"} at ${(invoke.time / 1e9).toFixed(1)}s` : "";
  return `${where}${blocked.description} by process ${blocked.process}${at} cannot be placed after ${prefix.length} operations leaving ${stateBefore}; `;
}
