// results.json: a run's verdict, each checker's result, the faults, the plan and everything needed to re-check or replay it.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { checkResultSchema, verdictSchema } from "./check-result.ts";
import { etcdBuildSchema } from "./etcd-build.ts";
import { scenarioSpecSchema } from "./scenario-spec.ts";
import { faultRecordSchema, faultStepSchema } from "./fault.ts";
import { probesSchema } from "./probes.ts";
import { runSettingsSchema } from "./settings.ts";

/** The format this harness writes; `format` in results.json. Format 1 (no `format` field) is read and upgraded. */
export const recordFormat = 2;

/** A checker as the plan names it: its registry name and the options it was constructed with. */
export const checkerSpecSchema = z.object({ name: z.string().min(1), options: z.unknown().optional() });
export type CheckerSpec = z.infer<typeof checkerSpecSchema>;

/** What the command resolved before the run started; `harness analyze` rebuilds the checkers from it. */
export const runPlanSchema = z.object({
  workload: z.string().min(1),
  checkers: z.array(checkerSpecSchema),
});
export type RunPlan = z.infer<typeof runPlanSchema>;

const outcomeCounts = z.object({ ok: z.number(), fail: z.number(), info: z.number() });

export const runStatsSchema = z.object({
  operations: outcomeCounts,
  operationsByNode: z.record(z.string(), outcomeCounts),
  clientProcesses: z.number(),
  workloadSeconds: z.number(),
  wallSeconds: z.number(),
  clusterStartupMs: z.record(z.string(), z.number()),
});
export type RunStats = z.infer<typeof runStatsSchema>;

/** Stats of a run that has not counted anything yet. */
export function emptyStats(): RunStats {
  return { operations: { ok: 0, fail: 0, info: 0 }, operationsByNode: {}, clientProcesses: 0, workloadSeconds: 0, wallSeconds: 0, clusterStartupMs: {} };
}

export const runResultsSchema = z.object({
  format: z.literal(recordFormat),
  scenario: z.string().min(1),
  /** The scenario as data, so a run from a file (or a built-in since changed) can be replayed as it ran. */
  scenarioSpec: scenarioSpecSchema.optional(),
  verdict: verdictSchema,
  expected: verdictSchema,
  seed: z.number().int().nonnegative(),
  /** The release the members ran, as their etcd reports it. */
  etcd: z.string().min(1),
  /** Where that etcd came from; absent in runs recorded before it was kept, which ran the release `etcd`. */
  build: etcdBuildSchema.optional(),
  /** Members that ran another release (a mixed-version cluster). */
  memberVersions: z.record(z.string(), z.string()).optional(),
  /** etcd flags every member got beyond the harness's own: the scenario's, overridden by the user's. */
  etcdFlags: z.array(z.string()).optional(),
  /** Flags one member got over etcdFlags. */
  memberEtcdFlags: z.record(z.string(), z.array(z.string())).optional(),
  settings: runSettingsSchema,
  startedAt: z.string(),
  plan: runPlanSchema,
  checkers: z.record(z.string(), checkResultSchema),
  schedule: z.array(faultStepSchema),
  faults: z.array(faultRecordSchema),
  /** Cluster members at the end of the run (membership faults may change them). */
  members: z.array(z.string()),
  probes: probesSchema,
  stats: runStatsSchema,
  reportDir: z.string(),
  /** Set when the run could not finish; the verdict is then unknown. */
  error: z.string().optional(),
  /** When `harness analyze` last re-ran the checkers on the stored run. */
  analyzedAt: z.string().optional(),
  /** "test": an application's own history, recorded by its test through the library (testkit/): no scenario to replay. */
  recordedBy: z.literal("test").optional(),
});
export type RunResults = z.infer<typeof runResultsSchema>;

export function writeResults(runDir: string, results: RunResults): string {
  const file = path.join(runDir, "results.json");
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
