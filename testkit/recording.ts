// An application's own history on the harness clock: its operations (invoke, then ok, fail or info), the faults a test injected, and the members' status samples; judged by the harness's checkers into a report folder.
import fs from "node:fs";
import path from "node:path";
import type { Cluster } from "../harness/cluster/backend.ts";
import { classifyFailure } from "../harness/clients/outcome.ts";
import type { RunClock } from "../harness/history/clock.ts";
import { ProcessIds } from "../harness/history/process-ids.ts";
import { HistoryRecorder } from "../harness/history/recorder.ts";
import { StatusSampler } from "../harness/probes/status-sampler.ts";
import type { FaultContext } from "../nemesis/nemesis.ts";
import type { FaultRecord } from "../record/fault.ts";
import type { HistoryEntry } from "../record/history/entry.ts";
import { readHistoryFile } from "../record/history/history-file.ts";
import { emptyStats, recordFormat, writeResults, type RunResults } from "../record/results.ts";
import { defaultWorkloadSettings } from "../record/settings.ts";
import { writeReport } from "../reports/report.ts";
import { checkRun } from "../runner/check-run.ts";
import { operationStats } from "../runner/operation-stats.ts";
import { checkersFor, type CheckerChoice } from "./checker-choice.ts";

/** What an operation is: its function name, and the key, value and member it concerns, as history.jsonl records them. */
export interface OperationSpec {
  f: string;
  key?: string;
  value?: unknown;
  /** The member the operation was sent to (n1, n2, ...), when it was sent to one. */
  node?: string;
}

/** An invoked operation waiting for its completion; the first completion counts, later ones are ignored. */
export interface PendingOperation {
  readonly invoke: HistoryEntry;
  ok(value?: unknown): void;
  /** It certainly did not take effect. */
  fail(error: unknown, value?: unknown): void;
  /** It may or may not have taken effect (a timeout, a lost connection). */
  info(error: unknown): void;
}

export interface OperationOptions<T> {
  /** The value the ok completion records, from what `run` returned (the returned value itself by default). */
  okValue?: (result: T) => unknown;
  /** Whether an error means the operation certainly failed (fail) or may have taken effect (info); etcd's own rules by default. */
  failure?: (error: unknown) => "fail" | "info";
}

export interface CheckOptions {
  /** Checkers by name (`harness checkers` lists them), with options, or your own (a linearizability model: see linearizabilityOf). */
  checkers: CheckerChoice[];
  /** The verdict the test expects, which the report shows beside the one reached ("valid" by default). */
  expected?: RunResults["expected"];
}

export interface RecordingVerdict {
  verdict: RunResults["verdict"];
  /** The run record, as results.json holds it. */
  results: RunResults;
  /** The report folder: results.json, history.jsonl, status.jsonl, summary.md, junit.xml, index.html. */
  dir: string;
  /** One line per checker: its verdict and summary. */
  summary: string;
}

export class Recording {
  readonly dir: string;
  readonly name: string;
  readonly #cluster: Cluster;
  readonly #clock: RunClock;
  readonly #recorder: HistoryRecorder;
  readonly #sampler: StatusSampler;
  readonly #processIds = new ProcessIds();
  readonly #faults: FaultRecord[] = [];
  readonly #startedAt = new Date();
  #finished: Promise<RecordingVerdict> | undefined;
  #stopped: Promise<void> | undefined;

  constructor(cluster: Cluster, clock: RunClock, name: string, dir: string) {
    this.#cluster = cluster;
    this.#clock = clock;
    this.name = name;
    this.dir = dir;
    fs.mkdirSync(dir, { recursive: true });
    this.#recorder = new HistoryRecorder(path.join(dir, "history.jsonl"), clock);
    this.#sampler = new StatusSampler(cluster, clock, path.join(dir, "status.jsonl"));
    this.#sampler.start();
  }

  /** True once finish() or close() was called: nothing more is recorded. */
  get finished(): boolean {
    return this.#stopped !== undefined;
  }

  /** A new client process id: one per actor whose operations are sequential (a service instance, a worker). */
  process(): number {
    return this.#processIds.next();
  }

  invoke(process: number, spec: OperationSpec): PendingOperation {
    const invoke = this.#record({ process, type: "invoke", ...spec });
    let done = false;
    const complete = (type: "ok" | "fail" | "info", extra: { value?: unknown; error?: string }): void => {
      if (done || this.finished) return;
      done = true;
      this.#record({ process, type, f: spec.f, ...(spec.key !== undefined ? { key: spec.key } : {}), ...(spec.node !== undefined ? { node: spec.node } : {}), ...extra });
    };
    return {
      invoke,
      ok: (value) => complete("ok", value === undefined ? {} : { value }),
      fail: (error, value) => complete("fail", { error: classifyFailure(error).error, ...(value === undefined ? {} : { value }) }),
      info: (error) => complete("info", { error: classifyFailure(error).error }),
    };
  }

  /** Records `run` as one operation of `process`: ok with what it returned, or fail/info by its error, which is rethrown. */
  async operation<T>(process: number, spec: OperationSpec, run: () => Promise<T>, options: OperationOptions<T> = {}): Promise<T> {
    const pending = this.invoke(process, spec);
    try {
      const result = await run();
      pending.ok(options.okValue ? options.okValue(result) : result);
      return result;
    } catch (error) {
      const type = options.failure ? options.failure(error) : classifyFailure(error).type;
      if (type === "fail") pending.fail(error);
      else pending.info(error);
      throw error;
    }
  }

  /** Now, on the clock the history, the faults and the status samples share (nanoseconds). */
  now(): number {
    return this.#clock.now();
  }

  /** Where faults that write to the cluster (quota's fill) record their writes, as the runner has them do. */
  faultHistory(): Pick<FaultContext, "history"> {
    return this.finished ? {} : { history: { recorder: this.#recorder, processIds: this.#processIds } };
  }

  /** Notes a fault event in the history (the cluster's faults call this). */
  nemesis(type: "invoke" | "info", f: string, value: Record<string, unknown>): void {
    this.#record({ process: "nemesis", type, f, value });
  }

  /** Keeps a healed fault's record for the checkers and the report (the cluster's faults call this). */
  faultEnded(fault: Omit<FaultRecord, "step">): void {
    this.#faults.push({ step: this.#faults.length, ...fault });
  }

  /**
   * Stops recording, runs the checkers on what was recorded and writes the report folder the way
   * `harness run` does. Operations still open are left without a completion: unknown outcomes.
   */
  finish(options: CheckOptions): Promise<RecordingVerdict> {
    this.#finished ??= this.#finish(options);
    return this.#finished;
  }

  /** Stops recording without judging: the folder keeps history.jsonl and status.jsonl. */
  close(): Promise<void> {
    this.#stopped ??= (async () => {
      this.#recorder.close();
      await this.#sampler.stop();
    })();
    return this.#stopped;
  }

  #record(entry: Parameters<HistoryRecorder["record"]>[0]): HistoryEntry {
    return this.#recorder.record(entry);
  }

  async #finish(options: CheckOptions): Promise<RecordingVerdict> {
    const elapsedS = this.#clock.elapsedMs() / 1000;
    await this.close();
    const cluster = this.#cluster;
    const checkers = checkersFor(options.checkers);
    const results: RunResults = {
      format: recordFormat,
      scenario: this.name,
      verdict: "unknown",
      expected: options.expected ?? "valid",
      recordedBy: "test",
      seed: 0,
      etcd: cluster.spec.etcdVersion,
      ...(cluster.spec.etcdFlags && cluster.spec.etcdFlags.length > 0 ? { etcdFlags: cluster.spec.etcdFlags } : {}),
      settings: { ...defaultWorkloadSettings, nodes: cluster.spec.size, timeMs: Math.max(1, Math.round(elapsedS * 1000)), workload: "application" },
      startedAt: this.#startedAt.toISOString(),
      plan: { workload: "application", checkers: checkers.map((checker) => ({ name: checker.name })) },
      checkers: {},
      schedule: [],
      faults: this.#faults,
      probes: {},
      members: [...cluster.names],
      stats: { ...emptyStats(), workloadSeconds: elapsedS, wallSeconds: elapsedS, clusterStartupMs: { ...cluster.startupMs } },
      reportDir: path.relative(process.cwd(), this.dir) || ".",
    };
    const history = (await readHistoryFile(this.#recorder.file, "jsonl")).entries;
    checkRun(results, checkers, history, this.#sampler.samples);
    results.stats = { ...results.stats, ...operationStats(history) };
    writeResults(this.dir, results);
    writeReport(this.dir, results, { history, statuses: this.#sampler.samples });
    const summary = Object.entries(results.checkers).map(([name, result]) => `${name}: ${result.verdict}: ${result.summary}`).join("\n");
    return { verdict: results.verdict, results, dir: this.dir, summary };
  }
}
