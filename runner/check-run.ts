// Runs a recorded run's checkers, built from its plan, and sets its verdict and each fault's judged effect.
import { runCheckers } from "../checkers/checker.ts";
import { judgeFault } from "../checkers/fault-effects.ts";
import type { Checker } from "../checkers/checker.ts";
import { combineVerdicts } from "../record/check-result.ts";
import type { HistoryEntry } from "../record/history/entry.ts";
import type { RunResults } from "../record/results.ts";
import type { RecordedRun } from "../record/run.ts";
import type { StatusSample } from "../record/status.ts";

export function checkRun(results: RunResults, checkers: Checker[], history: HistoryEntry[], statuses: StatusSample[]): void {
  results.checkers = runCheckers(checkers, recordedRunOf(results, history, statuses));
  for (const fault of results.faults) {
    const effect = judgeFault(fault, statuses);
    delete fault.tookEffect;
    delete fault.evidence;
    if (effect) Object.assign(fault, effect);
  }
  results.verdict = results.error ? "unknown" : combineVerdicts(Object.values(results.checkers).map((result) => result.verdict));
}

/** What the checkers of a run see: its history, samples, faults and probes. */
export function recordedRunOf(results: RunResults, history: HistoryEntry[], statuses: StatusSample[]): RecordedRun {
  return { history, statuses, faults: results.faults, probes: results.probes, members: results.members, settings: results.settings };
}
