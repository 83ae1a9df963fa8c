// Shrinks a failing run: re-runs smaller variants (fewer faults, shorter windows, fewer clients and keys),
// driven by fast-check's shrinking, and keeps the smallest that still fails, within a time budget.
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import type { RunResults } from "../../record/results.ts";
import type { FaultStep } from "../../record/fault.ts";
import { resolvePlan } from "../plan.ts";
import { recordedEtcd } from "../etcd-request.ts";
import { recordedScenario } from "../replay.ts";
import { runScenario, type RunReporter } from "../run-scenario.ts";
import { failsTheSameWay, invalidCheckers } from "./same-failure.ts";
import { candidateSchedule, describeCandidate, shrinkSpace, type ShrinkCandidate } from "./shrink-space.ts";

export interface ShrinkAttempt {
  attempt: number;
  candidate: string;
  verdict: RunResults["verdict"];
  /** The checkers that found this attempt invalid. */
  invalid: string[];
  /** True when a checker that found the original invalid found this attempt invalid too. */
  failed: boolean;
  seconds: number;
  reportDir: string;
}

export interface ShrinkReport {
  original: string;
  /** The checkers that found the original run invalid: the failure being shrunk. */
  failure: string[];
  startedAt: string;
  budgetSeconds: number;
  attempts: ShrinkAttempt[];
  /** The smallest variant that still failed; the original when nothing smaller did. */
  minimal?: { candidate: string; reportDir: string; replay: string };
  reproduced: boolean;
  interrupted: boolean;
}

export interface ShrinkRequest {
  run: RunResults;
  /** The failing run's report folder. */
  runDir: string;
  budgetMs: number;
  /** Parent folder of the shrink folder. */
  outDir: string;
  say: (line: string) => void;
  /** Resolve selectors again in every attempt instead of hitting the members the run hit. */
  retarget?: boolean;
  /** Writes each attempt's report files, so the smallest failing attempt can be read like any run. */
  report?: RunReporter;
}

export async function shrinkRun(request: ShrinkRequest): Promise<ShrinkReport> {
  const { run, say } = request;
  const scenario = recordedScenario(run);
  const shrinkDir = path.join(request.outDir, `${path.basename(request.runDir)}-shrink`);
  fs.mkdirSync(shrinkDir, { recursive: true });
  const report: ShrinkReport = {
    original: request.runDir,
    failure: invalidCheckers(run),
    startedAt: new Date().toISOString(),
    budgetSeconds: request.budgetMs / 1000,
    attempts: [],
    reproduced: false,
    interrupted: false,
  };
  const save = (): void => fs.writeFileSync(path.join(shrinkDir, "shrink.json"), `${JSON.stringify(report, null, 2)}\n`);
  /** Whether each candidate run so far failed, by its JSON. */
  const outcomes = new Map<string, boolean>();
  const deadline = Date.now() + request.budgetMs;
  // What a run costs beyond its own length (cluster start, checks, teardown); the longest seen so far.
  let overheadMs = 0;
  let running: Promise<boolean> | undefined;

  const attempt = async (candidate: ShrinkCandidate): Promise<boolean> => {
    const key = JSON.stringify(candidate);
    const known = outcomes.get(key);
    if (known !== undefined) return known;
    const { schedule, timeMs } = candidateSchedule(candidate, run.settings.timeMs);
    if (report.attempts.length > 0 && Date.now() + timeMs + overheadMs > deadline) {
      report.interrupted = true;
      return false;
    }
    running = runAttempt(candidate, key, schedule, timeMs);
    return running;
  };

  const runAttempt = async (candidate: ShrinkCandidate, key: string, schedule: FaultStep[], timeMs: number): Promise<boolean> => {
    const started = Date.now();
    const settings = { ...run.settings, concurrency: candidate.concurrency, keys: candidate.keys, timeMs };
    const results = await runScenario({
      plan: resolvePlan(scenario, settings, run.seed, schedule),
      etcd: recordedEtcd(run),
      seed: run.seed,
      outDir: path.join(shrinkDir, "attempts"),
      say: () => undefined,
      ...(request.retarget ? { retarget: true } : {}),
      ...(request.report ? { report: request.report } : {}),
    });
    const failed = failsTheSameWay(run, results);
    const invalid = invalidCheckers(results);
    overheadMs = Math.max(overheadMs, Date.now() - started - timeMs);
    outcomes.set(key, failed);
    report.attempts.push({
      attempt: report.attempts.length + 1,
      candidate: describeCandidate(candidate),
      verdict: results.verdict,
      invalid,
      failed,
      seconds: (Date.now() - started) / 1000,
      reportDir: results.reportDir,
    });
    if (failed) report.minimal = { candidate: describeCandidate(candidate), reportDir: results.reportDir, replay: `harness replay ${results.reportDir}` };
    save();
    const how = failed ? " (still fails)" : invalid.length > 0 ? ` (${invalid.join(", ")}: not the failure being shrunk)` : "";
    say(`attempt ${report.attempts.length}: ${results.verdict}${how} with ${describeCandidate(candidate)}`);
    return failed;
  };

  const { arbitrary, original } = shrinkSpace(run, request.retarget);
  report.reproduced = await attempt(original);
  if (!report.reproduced) {
    say("the original run did not fail again; nothing to shrink (a failure that does not reproduce is worth a replay or two)");
  } else {
    // The original is the first example; it fails, so fast-check shrinks from it. Results are cached,
    // so it is not run again.
    const outcome = await fc.check(
      fc.asyncProperty(arbitrary, async (candidate) => !(await attempt(candidate))),
      { examples: [[original]], numRuns: 1, interruptAfterTimeLimit: Math.max(1, deadline - Date.now()), markInterruptAsFailure: false },
    );
    // fast-check stops waiting at its time limit but cannot cancel the run in flight; it is still a
    // full run with a cluster, so it finishes and counts before the report is final.
    await running;
    report.interrupted ||= outcome.interrupted;
  }
  save();
  return report;
}
