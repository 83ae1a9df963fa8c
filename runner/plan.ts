// Resolve once: a scenario's names (workload, faults, checkers with their options) turned into objects before any container starts.
import { buildChecker } from "../checkers/registry.ts";
import type { Checker } from "../checkers/checker.ts";
import { usageError } from "../harness/errors.ts";
import { nemesisNamed } from "../nemesis/registry.ts";
import type { Nemesis } from "../nemesis/nemesis.ts";
import { isTargetSelector } from "../nemesis/targets.ts";
import type { FaultStep } from "../record/fault.ts";
import type { CheckerSpec, RunPlan } from "../record/results.ts";
import type { RunSettings } from "../record/settings.ts";
import type { Scenario } from "../scenarios/scenario.ts";
import { workloadNamed } from "../workloads/registry.ts";
import type { WorkloadDefinition } from "../workloads/workload.ts";

export interface ResolvedPlan {
  scenario: Scenario;
  settings: RunSettings;
  workload: WorkloadDefinition;
  schedule: FaultStep[];
  /** The fault family of each step of the schedule, in order. */
  faults: Nemesis[];
  checkers: Checker[];
  /** What results.json keeps: names and options only, from which `harness analyze` builds the checkers again. */
  record: RunPlan;
}

/**
 * The plan of a run of `scenario` with `settings` and `seed`: its schedule (or `schedule`, replayed or
 * shrunk), every fault family it names, and its workload's checkers plus its own. An unknown name or
 * bad options is a usage error now, not when the run ends.
 */
export function resolvePlan(scenario: Scenario, settings: RunSettings, seed: number, schedule?: FaultStep[]): ResolvedPlan {
  const workload = workloadNamed(settings.workload);
  const steps = schedule ?? scenario.schedule(settings, seed);
  const faults = steps.map((step, index) => {
    if (!isTargetSelector(step.target)) throw usageError(`${scenario.name}: step ${index} targets "${step.target}", which is neither a role nor member names`);
    try {
      return nemesisNamed(step.fault);
    } catch (error) {
      throw usageError(`${scenario.name}: step ${index}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  const specs = [...workload.checkers(settings), ...scenario.checkers(steps), ...(settings.auth ? [{ name: "auth" }] : [])];
  const record: RunPlan = { workload: workload.name, checkers: specs };
  return { scenario, settings, workload, schedule: steps, faults, checkers: checkersOf(record, scenario.name), record };
}

/**
 * The checkers a recorded plan names, built again (for `harness analyze`); `source` says where the plan came
 * from. A name given twice (a scenario naming its workload's checker with options of its own) is built from
 * its last spec, in the place of its first.
 */
export function checkersOf(plan: RunPlan, source: string): Checker[] {
  const byName = new Map<string, CheckerSpec>();
  for (const spec of plan.checkers) byName.set(spec.name, spec);
  return [...byName.values()].map((spec) => {
    try {
      return buildChecker(spec);
    } catch (error) {
      throw usageError(`${source}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}
