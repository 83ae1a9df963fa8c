// The checker protocol: a pure function of a recorded run returning valid | invalid | unknown with evidence.
import type { HistoryEntry } from "../harness/history/entry.ts";
import type { FaultRecord } from "../harness/run/fault-schedule.ts";
import type { StatusSample } from "../harness/run/status-sampler.ts";
import type { AvailabilityExpectations } from "./availability.ts";

export type Verdict = "valid" | "invalid" | "unknown";

export interface CheckResult {
  verdict: Verdict;
  /** One line a person reads first. */
  summary: string;
  /** Structured evidence for reports. */
  [evidence: string]: unknown;
}

export interface ConvergenceProbe {
  /** Revision each member reached after the final heal. */
  revisions: Record<string, number | string>;
  /** Revision at which HashKV was compared: the common one, or when members stayed apart, the lowest. */
  revision?: number;
  hashes?: Record<string, number | string>;
  /** When members stayed at different revisions: the raft entry each had applied by then. */
  appliedIndexes?: Record<string, number>;
  error?: string;
}

/**
 * The final reads: after the last heal and the convergence probe, a linearizable read of every key the
 * workload touched through every member. The reads themselves are ordinary operations in the history,
 * made by the processes listed here, so the linearizability checker judges them too.
 */
export interface FinalReadsProbe {
  workload: string;
  /** Run-clock nanoseconds when the final reads began and ended. */
  from: number;
  to: number;
  keys: string[];
  members: string[];
  /** Client process ids of the final reads (a fresh one after each read whose outcome is unknown). */
  processes: number[];
  /** Why no final reads were made (a workload whose data is not meant to last). */
  skipped?: string;
}

/** Everything a checker may look at: the history and the probes recorded beside it. */
export interface RecordedRun {
  history: HistoryEntry[];
  statuses: StatusSample[];
  faults: FaultRecord[];
  convergence?: ConvergenceProbe;
  finalReads?: FinalReadsProbe;
  members: string[];
  readMode: "linearizable" | "serializable";
  /** What the scenario expects of the cluster's availability (checkers/availability.ts). */
  availability?: AvailabilityExpectations;
}

export interface Checker {
  readonly name: string;
  check(run: RecordedRun): CheckResult;
}

/** Runs every checker; an exception inside one is its verdict unknown, never a pass. */
export function runCheckers(checkers: Checker[], run: RecordedRun): Record<string, CheckResult> {
  const results: Record<string, CheckResult> = {};
  for (const checker of checkers) {
    try {
      results[checker.name] = checker.check(run);
    } catch (error) {
      results[checker.name] = { verdict: "unknown", summary: `checker failed: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  return results;
}

/** invalid beats unknown beats valid; nothing to judge is valid (an empty history is linearizable). */
export function worstVerdict(verdicts: Iterable<Verdict>): Verdict {
  let worst: Verdict = "valid";
  for (const verdict of verdicts) {
    if (verdict === "invalid") return "invalid";
    if (verdict === "unknown") worst = "unknown";
  }
  return worst;
}

/** A run's verdict from its checkers': the worst of them, and unknown when no checker ran. */
export function combineVerdicts(verdicts: Verdict[]): Verdict {
  return verdicts.length === 0 ? "unknown" : worstVerdict(verdicts);
}
