// `harness replay <report-dir>`: run a stored run again with its scenario, settings, etcd release, seed and schedule.
import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import { scenarioNamed } from "../../scenarios/registry.ts";
import { usageError } from "../errors.ts";
import { isEtcdVersion } from "../images/catalog.ts";
import { defaultRunsDir } from "../paths.ts";
import { runScenario } from "../run/run-scenario.ts";
import { progressLine, reportRun } from "./report-run.ts";

const storedRun = z.object({
  scenario: z.string(),
  seed: z.number().int().nonnegative(),
  etcd: z.string(),
  settings: z.object({
    nodes: z.number().int().positive(),
    timeMs: z.number().positive(),
    workload: z.string(),
    rate: z.number().positive(),
    concurrency: z.number().int().positive(),
    keys: z.number().int().positive(),
    distribution: z.enum(["uniform", "zipf"]),
    readMode: z.enum(["linearizable", "serializable"]),
    casCompare: z.enum(["value", "mod-revision"]),
    opTimeoutMs: z.number().positive(),
  }),
  schedule: z.array(
    z.object({
      atMs: z.number().nonnegative(),
      fault: z.string(),
      target: z.string(),
      durationMs: z.number().nonnegative(),
      params: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
});

export function addReplayCommand(program: Command): void {
  program
    .command("replay")
    .description("run a stored run again: same scenario, settings, etcd release, seed and fault schedule")
    .argument("<report-dir>", "a report folder holding results.json")
    .option("--out <dir>", "parent folder of the new report folder", defaultRunsDir)
    .option("--json", "print results.json on stdout and nothing else there")
    .action(async (dir: string, options: { out: string; json?: boolean }) => {
      const stored = readStoredRun(dir);
      const results = await runScenario({
        scenario: scenarioNamed(stored.scenario),
        settings: stored.settings,
        etcdVersion: stored.etcd,
        seed: stored.seed,
        schedule: stored.schedule.map(({ params, ...step }) => ({ ...step, ...(params ? { params } : {}) })),
        outDir: path.resolve(options.out),
        say: progressLine,
      });
      process.exitCode = reportRun(results, options.json === true);
    });
}

export function readStoredRun(dir: string): z.infer<typeof storedRun> {
  const file = path.join(dir, "results.json");
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : error instanceof Error ? error.message : String(error);
    throw usageError(`cannot read ${file}: ${why}; expected the results.json of a run (harness run writes it into its report folder)`);
  }
  const parsed = storedRun.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw usageError(`${file}: ${issue.path.join(".") || "the file"}: ${issue.message}; expected the results.json of a run`);
  }
  if (!isEtcdVersion(parsed.data.etcd)) throw usageError(`${file}: etcd ${parsed.data.etcd} is not a release this harness builds`);
  return parsed.data;
}
