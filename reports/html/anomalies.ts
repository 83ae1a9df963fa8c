// The anomalies of invalid checkers, tied to the operations they name, earliest first.
import type { CheckResult } from "../../checkers/checker.ts";
import { counterexamplesOf } from "../counterexamples.ts";

export interface Anomaly {
  checker: string;
  /** Operation number on the page, or -1 when the anomaly names no operation (convergence, availability). */
  op: number;
  /** µs on the run clock: the operation's invocation, or the end of the run. */
  time: number;
  /** One line: what went wrong. */
  title: string;
  /** Operations that bear on it (a counterexample's concurrent operations). */
  related: number[];
}

export interface OperationLookup {
  operationOfInvoke(invokeIndex: number): number | undefined;
  startUs(op: number): number;
}

/** Evidence keys whose operations are context, not anomalies themselves. */
const contextKeys = new Set(["prefix", "concurrent"]);
const maxPerChecker = 200;

export function collectAnomalies(checkers: Record<string, CheckResult>, lookup: OperationLookup, endUs: number): Anomaly[] {
  const anomalies: Anomaly[] = [];
  for (const [checker, result] of Object.entries(checkers)) {
    if (result.verdict !== "invalid") continue;
    const found = [...counterexampleAnomalies(checker, result, lookup), ...namedOperationAnomalies(checker, result, lookup)];
    if (found.length === 0) found.push({ checker, op: -1, time: endUs, title: `${checker}: ${result.summary}`, related: [] });
    anomalies.push(...found.slice(0, maxPerChecker));
  }
  // Operations first, so "first anomaly" is the earliest one a person can look at on the timeline.
  return anomalies.sort((a, b) => Number(a.op < 0) - Number(b.op < 0) || a.time - b.time);
}

function counterexampleAnomalies(checker: string, result: CheckResult, lookup: OperationLookup): Anomaly[] {
  return counterexamplesOf(result).flatMap(({ label, counterexample }) => {
    const op = lookup.operationOfInvoke(counterexample.blocked.invokeIndex);
    if (op === undefined) return [];
    const related = counterexample.concurrent
      .map((view) => lookup.operationOfInvoke(view.invokeIndex))
      .filter((found): found is number => found !== undefined);
    const where = label ? `key ${label}: ` : "";
    return [{ checker, op, time: lookup.startUs(op), title: `${checker}: ${where}${counterexample.blocked.description} cannot be placed`, related }];
  });
}

/** Any other evidence that names history lines ({invokeIndex}) names anomalous operations. */
function namedOperationAnomalies(checker: string, result: CheckResult, lookup: OperationLookup): Anomaly[] {
  const found: Anomaly[] = [];
  const visit = (value: unknown, key: string, depth: number): void => {
    if (found.length >= maxPerChecker || depth > 6 || contextKeys.has(key) || key === "counterexample") return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item, key, depth + 1);
      return;
    }
    if (value === null || typeof value !== "object") return;
    const record = value as Record<string, unknown>;
    if (typeof record["invokeIndex"] === "number") {
      const op = lookup.operationOfInvoke(record["invokeIndex"]);
      if (op !== undefined) found.push({ checker, op, time: lookup.startUs(op), title: `${checker}: ${describeNamed(record)}`, related: [] });
      return;
    }
    for (const [child, nested] of Object.entries(record)) visit(nested, child, depth + 1);
  };
  for (const [key, value] of Object.entries(result)) visit(value, key, 0);
  return found;
}

function describeNamed(record: Record<string, unknown>): string {
  const parts = [record["f"], record["key"], record["value"] === undefined ? undefined : JSON.stringify(record["value"])];
  const process = record["process"] === undefined ? "" : ` by process ${String(record["process"])}`;
  const node = typeof record["node"] === "string" ? ` on ${record["node"]}` : "";
  return `${parts.filter((part) => part !== undefined).join(" ")}${process}${node}`;
}
