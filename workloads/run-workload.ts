// Runs one workload against a started cluster for a while and returns its recorded history: the library
// entry point for tests and scripts that bring their own cluster and faults.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Cluster } from "../harness/cluster/backend.ts";
import { ClientPauses } from "../harness/clients/client-pauses.ts";
import { RunClock } from "../harness/history/clock.ts";
import { ProcessIds } from "../harness/history/process-ids.ts";
import { HistoryRecorder } from "../harness/history/recorder.ts";
import { randomSeed, randomStream } from "../harness/random.ts";
import type { HistoryEntry } from "../record/history/entry.ts";
import { readHistoryFile } from "../record/history/history-file.ts";
import { defaultWorkloadSettings, type WorkloadSettings } from "../record/settings.ts";
import { createWorkload, workloadNamed } from "./registry.ts";

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
   * Writes of its own go into the history under process ids from `processIds` (see FaultContext.history),
   * and a fault on the workload's clients pauses them through `clients`.
   */
  during?: (recorder: HistoryRecorder, processIds: ProcessIds, clients: ClientPauses) => Promise<void>;
}

export interface WorkloadRun {
  history: HistoryEntry[];
  file: string;
  settings: WorkloadSettings;
}

export async function runWorkload(cluster: Cluster, options: WorkloadRunOptions): Promise<WorkloadRun> {
  const definition = workloadNamed(options.workload);
  const settings: WorkloadSettings = { ...defaultWorkloadSettings, ...definition.defaults, ...options.settings };
  const file = options.file ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), `workload-${definition.name}-`)), "history.jsonl");
  const recorder = new HistoryRecorder(file, new RunClock());
  const processIds = new ProcessIds();
  const clients = new ClientPauses();
  const seed = options.seed ?? randomSeed();
  const workload = createWorkload(definition, {
    cluster,
    recorder,
    randomFor: (...labels) => randomStream(seed, "workload", ...labels),
    settings,
    processIds,
    keyPrefix: options.keyPrefix ?? `${crypto.randomBytes(4).toString("hex")}/`,
    clients,
  });
  try {
    workload.start();
    await Promise.all([new Promise((resolve) => setTimeout(resolve, options.timeMs)), options.during?.(recorder, processIds, clients)]);
  } finally {
    await workload.stop();
    clients.resume();
    recorder.close();
  }
  return { history: (await readHistoryFile(file, "jsonl")).entries, file, settings };
}
