// The checker protocol: a pure function of a recorded run returning valid | invalid | unknown, its anomalies and its evidence.
import type { Anomaly, CheckResult } from "../record/check-result.ts";
import type { RecordedRun } from "../record/run.ts";
import { settleOutcomes } from "./settled-outcomes.ts";

export interface Checker {
  readonly name: string;
  check(run: RecordedRun): CheckResult;
}

/** A checker stops listing anomalies past this many; its summary still counts them all. */
export const maxAnomalies = 200;

/**
 * Runs every checker on the run with the outcomes its own evidence settles (settled-outcomes.ts); an
 * exception inside one is its verdict unknown, never a pass. An invalid result always names at least
 * one anomaly: a checker that listed none gets one made of its summary.
 */
export function runCheckers(checkers: Checker[], recorded: RecordedRun): Record<string, CheckResult> {
  const run = settleOutcomes(recorded);
  const results: Record<string, CheckResult> = {};
  for (const checker of checkers) {
    const started = performance.now();
    let result: CheckResult;
    try {
      result = checker.check(run);
    } catch (error) {
      result = { verdict: "unknown", summary: `checker failed: ${error instanceof Error ? error.message : String(error)}`, anomalies: [] };
    }
    if (result.verdict === "invalid" && result.anomalies.length === 0) {
      result = { ...result, anomalies: [{ kind: checker.name, explanation: result.summary, ops: [], members: [] }] };
    }
    results[checker.name] = { ...result, anomalies: result.anomalies.slice(0, maxAnomalies), elapsedMs: result.elapsedMs ?? performance.now() - started };
  }
  return results;
}

/** An anomaly's span from run-clock nanoseconds, leaving out ends that are not known. */
export function span(from: number | undefined, to: number | undefined): Pick<Anomaly, "from" | "to"> {
  return { ...(from !== undefined && Number.isFinite(from) ? { from } : {}), ...(to !== undefined && Number.isFinite(to) ? { to } : {}) };
}
