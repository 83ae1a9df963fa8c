// A stored run read back from its report folder: results.json validated against the record, with the history and status samples beside it.
import fs from "node:fs";
import path from "node:path";
import type { HistoryEntry } from "./history/entry.ts";
import { readHistoryFile } from "./history/history-file.ts";
import { HistoryFormatError } from "./history/format-error.ts";
import { RecordError, firstIssue } from "./record-error.ts";
import { upgradeFormat1 } from "./results-format-1.ts";
import { recordFormat, runResultsSchema, type RunResults } from "./results.ts";
import { readStatusFile, type StatusSample } from "./status.ts";

const expected = "expected the results.json of a run (harness run writes it into its report folder)";

/** A run's results.json, validated; a file that is missing, not JSON, foreign or malformed is a RecordError naming the field. */
export function readStoredResults(dir: string): RunResults {
  const file = path.join(dir, "results.json");
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : `not JSON (${error instanceof Error ? error.message : String(error)})`;
    throw new RecordError(file, `${why}; ${expected}`);
  }
  return parseResults(data, file);
}

/** Validates parsed results.json data, upgrading format 1 and refusing formats this harness does not know. */
export function parseResults(data: unknown, file: string): RunResults {
  if (data === null || typeof data !== "object" || Array.isArray(data) || !("scenario" in data) || !("settings" in data)) {
    throw new RecordError(file, `not a run's results (no "scenario" and "settings"); ${expected}`);
  }
  const format = (data as { format?: unknown }).format;
  if (format !== undefined && format !== recordFormat && format !== 1) {
    throw new RecordError(file, `format ${JSON.stringify(format)} is not one this harness reads (1 and ${recordFormat}); it was written by ${typeof format === "number" && format > recordFormat ? "a newer" : "another"} harness`);
  }
  const current = format === recordFormat ? data : upgradeFormat1(data as Record<string, unknown>);
  const parsed = runResultsSchema.safeParse(current);
  if (!parsed.success) throw new RecordError(file, `${firstIssue(parsed.error)}${format === recordFormat ? "" : " (read as format 1)"}; ${expected}`);
  return parsed.data;
}

export interface StoredHistory {
  entries: HistoryEntry[];
  /** Set when the history's last line was cut off and left out: one line saying so. */
  warning?: string;
}

/** history.jsonl of a run folder; a malformed line is a RecordError naming it, a last line cut off mid-write a warning. */
export async function readStoredHistory(dir: string): Promise<StoredHistory> {
  const file = path.join(dir, "history.jsonl");
  try {
    const history = await readHistoryFile(file, "jsonl");
    return { entries: history.entries, ...(history.cutOff ? { warning: `${file}: ${history.cutOff.message}` } : {}) };
  } catch (error) {
    if (error instanceof HistoryFormatError) throw new RecordError(file, `line ${error.line}: ${error.message}`);
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new RecordError(file, "no such file; every run folder has its history.jsonl");
    throw error;
  }
}

/** status.jsonl of a run folder (none when the run did not sample any). */
export function readStoredStatuses(dir: string): StatusSample[] {
  return readStatusFile(path.join(dir, "status.jsonl"));
}
