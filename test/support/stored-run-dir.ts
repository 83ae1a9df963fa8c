// A run folder on disk (results.json, history.jsonl, status.jsonl) from a synthetic run, for tests of the readers of stored runs.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { writeResults } from "../../record/results.ts";
import { syntheticRun, type SyntheticRun } from "./synthetic-run.ts";

export function storedRunDir(operations: number, seed = 3): { dir: string; run: SyntheticRun } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stored-run-"));
  const run = syntheticRun(operations, seed, dir);
  writeResults(dir, run.results);
  fs.writeFileSync(path.join(dir, "history.jsonl"), run.history.map((entry) => `${JSON.stringify(entry)}\n`).join(""));
  fs.writeFileSync(path.join(dir, "status.jsonl"), run.statuses.map((sample) => `${JSON.stringify(sample)}\n`).join(""));
  return { dir, run };
}

/** Reads, changes and writes back a run folder's results.json as plain JSON. */
export function editResults(dir: string, change: (results: Record<string, unknown>) => void): void {
  const file = path.join(dir, "results.json");
  const results = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  change(results);
  fs.writeFileSync(file, JSON.stringify(results, null, 2));
}
