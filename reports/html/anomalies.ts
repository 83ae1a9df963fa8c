// The anomalies every checker listed, tied to the page's operations, earliest first: what the timeline flags.
import type { CheckResult } from "../../record/check-result.ts";

export interface PageAnomaly {
  checker: string;
  /** Operation number on the page, or -1 when the anomaly names no operation (convergence, availability). */
  op: number;
  /** µs on the run clock: the operation's invocation, the anomaly's start, or the end of the run. */
  time: number;
  /** One line: what went wrong. */
  title: string;
  /** Operations that bear on it: the rest of those at fault, and those in its context. */
  related: number[];
}

export interface OperationLookup {
  operationOfInvoke(invokeIndex: number): number | undefined;
  startUs(op: number): number;
}

const maxPerChecker = 200;

export function collectAnomalies(checkers: Record<string, CheckResult>, lookup: OperationLookup, endUs: number): PageAnomaly[] {
  const anomalies: PageAnomaly[] = [];
  for (const [checker, result] of Object.entries(checkers)) {
    for (const anomaly of result.anomalies.slice(0, maxPerChecker)) {
      const pageOps = (indexes: number[]): number[] => indexes.map((index) => lookup.operationOfInvoke(index)).filter((op): op is number => op !== undefined);
      const [op, ...others] = pageOps(anomaly.ops);
      const time = op !== undefined ? lookup.startUs(op) : anomaly.from !== undefined ? anomaly.from / 1e3 : endUs;
      const related = [...others, ...pageOps((anomaly.context ?? []).flatMap((group) => group.ops))];
      anomalies.push({ checker, op: op ?? -1, time, title: `${checker}: ${anomaly.explanation}`, related });
    }
  }
  // Operations first, so "first anomaly" is the earliest one a person can look at on the timeline.
  return anomalies.sort((a, b) => Number(a.op < 0) - Number(b.op < 0) || a.time - b.time);
}
