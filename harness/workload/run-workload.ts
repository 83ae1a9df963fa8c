// Runs one workload against a started cluster for a while and returns its recorded history: the library
// entry point for tests and scripts that bring their own cluster and faults.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { StartedCluster } from "../cluster/cluster.ts";
import { RunClock } from "../history/clock.ts";
import type { HistoryEntry } from "../history/entry.ts";
import { readHistoryFile } from "../history/history-file.ts";
import { HistoryRecorder } from "../history/recorder.ts";
import { randomSeed, seededRandom } from "../random.ts";
import { workloadNamed } from "./registry.ts";
import { defaultWorkloadSettings, ProcessIds, type WorkloadSettings } from "./workload.ts";

export interface WorkloadRunOptions {
  workload: string;
  timeMs: number;
  /** Overrides of the workload's default settings. */
  settings?: Partial<WorkloadSettings>;
  seed?: number;
  /** Prepended to every key; a fresh one by default, so the cluster's earlier data cannot show up. */
  keyPrefix?: string;
  /** Where history.jsonl goes; a fresh temporary file by default. */
  file?: string;
  /**
   * Runs alongside the workload (faults, probes); the workload stops after `timeMs` and after this.
   * Writes of its own go into the history under process ids from `processIds` (see FaultContext.history).
   */
  during?: (recorder: HistoryRecorder, processIds: ProcessIds) => Promise<void>;
}

export interface WorkloadRun {
  history: HistoryEntry[];
  file: string;
  settings: WorkloadSettings;
}

export async function runWorkload(cluster: StartedCluster, options: WorkloadRunOptions): Promise<WorkloadRun> {
  const definition = workloadNamed(options.workload);
  const settings: WorkloadSettings = { ...defaultWorkloadSettings, ...definition.defaults, ...options.settings };
  const file = options.file ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), `workload-${definition.name}-`)), "history.jsonl");
  const recorder = new HistoryRecorder(file, new RunClock());
  const processIds = new ProcessIds();
  const workload = definition.create({ cluster, recorder, random: seededRandom(options.seed ?? randomSeed()), settings, processIds, keyPrefix: options.keyPrefix ?? `${crypto.randomBytes(4).toString("hex")}/` });
  try {
    workload.start();
    await Promise.all([new Promise((resolve) => setTimeout(resolve, options.timeMs)), options.during?.(recorder, processIds)]);
  } finally {
    await workload.stop();
    recorder.close();
  }
  return { history: (await readHistoryFile(file, "jsonl")).entries, file, settings };
}
