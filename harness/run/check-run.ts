// Runs a recorded run's checkers and sets its verdict: the scenario's checkers plus its workload's.
import { combineVerdicts, runCheckers, type RecordedRun } from "../../checkers/checker.ts";
import { checkerNamed } from "../../checkers/registry.ts";
import type { RunResults } from "../../reports/results.ts";
import { scenarioNamed } from "../../scenarios/registry.ts";
import type { HistoryEntry } from "../history/entry.ts";
import { workloadNamed } from "../workload/registry.ts";
import type { StatusSample } from "./status-sampler.ts";

export function checkRun(results: RunResults, history: HistoryEntry[], statuses: StatusSample[]): void {
  const scenario = scenarioNamed(results.scenario);
  const scenarioCheckers = typeof scenario.checkers === "function" ? scenario.checkers(results.schedule) : scenario.checkers;
  const names = [...workloadNamed(results.settings.workload).checkers(results.settings), ...scenarioCheckers];
  results.checkers = runCheckers(names.map(checkerNamed), recordedRunOf(results, history, statuses));
  results.verdict = results.error ? "unknown" : combineVerdicts(Object.values(results.checkers).map((result) => result.verdict));
}

/** What the checkers of a run see: its history, samples, faults and probes, and its scenario's expectations. */
export function recordedRunOf(results: RunResults, history: HistoryEntry[], statuses: StatusSample[]): RecordedRun {
  const availability = scenarioNamed(results.scenario).availability;
  return {
    history,
    statuses,
    faults: results.faults,
    ...(results.probes.convergence ? { convergence: results.probes.convergence } : {}),
    ...(results.probes.finalReads ? { finalReads: results.probes.finalReads } : {}),
    members: results.members,
    readMode: results.settings.readMode,
    ...(availability ? { availability } : {}),
  };
}
