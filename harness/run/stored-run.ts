// A stored run read back from its report folder: results.json validated, with the history and status beside it.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { RunResults } from "../../reports/results.ts";
import { usageError } from "../errors.ts";
import { isEtcdVersion } from "../images/catalog.ts";

const settings = z.object({
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
});

const step = z.object({
  atMs: z.number().nonnegative(),
  fault: z.string(),
  target: z.string(),
  durationMs: z.number().nonnegative(),
  params: z.record(z.string(), z.unknown()).optional(),
});

const fault = z.looseObject({
  fault: z.string(),
  selector: z.string(),
  targets: z.array(z.string()),
  params: z.record(z.string(), z.unknown()),
  start: z.number(),
  effective: z.number(),
  healStart: z.number(),
  end: z.number(),
  details: z.record(z.string(), z.unknown()),
});

const results = z.looseObject({
  scenario: z.string(),
  seed: z.number().int().nonnegative(),
  etcd: z.string(),
  memberVersions: z.record(z.string(), z.string()).optional(),
  settings,
  schedule: z.array(step),
  faults: z.array(fault).default([]),
  probes: z.looseObject({}).default({}),
  members: z.array(z.string()).default([]),
  checkers: z.record(z.string(), z.unknown()).default({}),
});

/** results.json of a report folder, checked enough to replay or re-check the run; exit 64 when it is not one. */
export function readStoredResults(dir: string): RunResults {
  const file = path.join(dir, "results.json");
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : error instanceof Error ? error.message : String(error);
    throw usageError(`cannot read ${file}: ${why}; expected the results.json of a run (harness run writes it into its report folder)`);
  }
  const parsed = results.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw usageError(`${file}: ${issue.path.join(".") || "the file"}: ${issue.message}; expected the results.json of a run`);
  }
  for (const version of [parsed.data.etcd, ...Object.values(parsed.data.memberVersions ?? {})]) {
    if (!isEtcdVersion(version)) throw usageError(`${file}: etcd ${version} is not a release this harness builds`);
  }
  return parsed.data as unknown as RunResults;
}
