// The run checker for linearizability: the recorded client history against a datatype model.
import type { Anomaly } from "../record/check-result.ts";
import type { HistoryEntry } from "../record/history/entry.ts";
import { span, type Checker } from "./checker.ts";
import { checkHistory } from "./linearizability/check.ts";
import type { AnyHistoryModel } from "./linearizability/model.ts";
import { createModel, type ModelName } from "./linearizability/models/index.ts";
import type { PartitionResult } from "./linearizability/result.ts";

/** Of the linearized prefix before an operation that cannot be placed, the report shows this many last ones. */
const prefixShown = 12;

/** A model by name, or a function making a fresh one of your own per check (models may keep state from `prepare`). */
export type ModelChoice = ModelName | (() => AnyHistoryModel);

export function linearizabilityChecker(model: ModelChoice, name = "linearizability", timeoutMs = 60_000): Checker {
  return {
    name,
    check(run) {
      const result = checkHistory(run.history, typeof model === "string" ? createModel(model) : model(), { timeoutMs });
      const invalid = result.partitions.find((partition) => partition.verdict === "invalid");
      const unknown = result.partitions.find((partition) => partition.verdict === "unknown");
      const s = result.settled;
      const settled = s && s.placed + s.dropped + s.unread > 0 ? `: ${s.placed} placed at the revision a read or watch showed, ${s.dropped} after every answer, ${s.unread} with values nothing read` : "";
      const counts = `${result.operations} operations (${result.uncertain} uncertain${settled}) in ${result.partitions.length} partitions, ${Math.round(result.elapsedMs)} ms`;
      const nodes = new Map(run.history.filter((entry) => entry.type === "invoke").map((entry) => [entry.index, entry.node]));
      const anomalies = result.partitions.flatMap((partition) => (partition.verdict === "invalid" ? [anomalyOf(partition, nodes)] : []));
      return { ...result, summary: `${describe(invalid ?? unknown, run.history)}${counts}`, anomalies };
    },
  };
}

function anomalyOf(partition: Extract<PartitionResult, { verdict: "invalid" }>, nodes: Map<number, string | undefined>): Anomaly {
  const { blocked, stateBefore, prefix, concurrent } = partition.counterexample;
  const node = nodes.get(blocked.invokeIndex);
  const where = partition.label ? `key ${partition.label}: ` : "";
  return {
    kind: "not-linearizable",
    explanation: `${where}${blocked.description} by process ${blocked.process}${node ? ` on ${node}` : ""} cannot be placed after the ${prefix.length} operations that can be, which leave ${stateBefore}`,
    ops: [blocked.invokeIndex],
    context: [
      { label: "concurrent operations: any of them could have been ordered around it", ops: concurrent.map((view) => view.invokeIndex) },
      { label: `the linearized prefix, last ${Math.min(prefixShown, prefix.length)} of ${prefix.length}`, ops: prefix.slice(-prefixShown).map((view) => view.invokeIndex) },
    ],
    members: node ? [node] : [],
    state: stateBefore,
    ...span(blocked.call, blocked.ret ?? undefined),
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
