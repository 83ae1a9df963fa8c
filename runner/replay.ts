// Replays a stored run: its scenario, settings, etcd release, seed and schedule, each fault on the members it hit.
import type { FaultStep } from "../record/fault.ts";
import type { RunResults } from "../record/results.ts";
import { scenarioNamed } from "../scenarios/registry.ts";
import { scenarioOf } from "../scenarios/scenario-of.ts";
import type { Scenario } from "../scenarios/scenario.ts";
import { resolvePlan, type ResolvedPlan } from "./plan.ts";
import { recordedEtcd } from "./etcd-request.ts";
import { runScenario, type RunReporter } from "./run-scenario.ts";

export interface ReplayOptions {
  outDir: string;
  say: (line: string) => void;
  /** Resolve every step's selector again instead of hitting the members the stored run hit. */
  retarget?: boolean;
  report?: RunReporter;
}

/**
 * The stored schedule with each played step pinned to the targets it hit. A role such as "leader"
 * names whoever led at that moment, and a random pick depends on the members left; pinning makes the
 * replay hit the same members. Steps the run never reached keep their selectors.
 */
export function recordedSchedule(results: Pick<RunResults, "schedule" | "faults">): FaultStep[] {
  return results.schedule.map((step, index) => {
    const played = results.faults.find((fault) => fault.step === index);
    return played ? { ...step, targets: played.targets } : step;
  });
}

/** The scenario a stored run ran: the spec it recorded, or (runs from before specs were recorded) the built-in of its name. */
export function recordedScenario(results: Pick<RunResults, "scenario" | "scenarioSpec">): Scenario {
  return results.scenarioSpec ? scenarioOf(results.scenarioSpec) : scenarioNamed(results.scenario);
}

/** The plan of a replay: the stored run's scenario with its settings, seed and (pinned) schedule. */
export function replayPlan(results: RunResults, retarget = false): ResolvedPlan {
  return resolvePlan(recordedScenario(results), results.settings, results.seed, retarget ? results.schedule : recordedSchedule(results));
}

export function replayRun(results: RunResults, options: ReplayOptions): Promise<RunResults> {
  return runScenario({
    plan: replayPlan(results, options.retarget),
    etcd: recordedEtcd(results),
    seed: results.seed,
    outDir: options.outDir,
    say: options.say,
    ...(options.retarget ? { retarget: true } : {}),
    ...(options.report ? { report: options.report } : {}),
  });
}
