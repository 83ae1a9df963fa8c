// One run of a scenario: cluster up, workload and faults on one clock, heal, probe, final reads, tear down, check, report.
import fs from "node:fs";
import path from "node:path";
import type { ConvergenceProbe, FinalReadsProbe } from "../../checkers/checker.ts";
import { pairOperations } from "../../checkers/operations.ts";
import { nemesisNamed } from "../../nemesis/registry.ts";
import { writeReportSafely } from "../../reports/report.ts";
import { writeResults, type RunResults, type RunStats } from "../../reports/results.ts";
import type { RunSettings, Scenario } from "../../scenarios/scenario.ts";
import { startCluster } from "../cluster/cluster.ts";
import { RunClock } from "../history/clock.ts";
import type { HistoryEntry } from "../history/entry.ts";
import { readHistoryFile } from "../history/history-file.ts";
import { prepareRunEnvironment } from "../images/run-images.ts";
import { onInterrupt } from "../lifecycle/shutdown.ts";
import { seededRandom } from "../random.ts";
import { workloadNamed } from "../workload/registry.ts";
import { checkRun } from "./check-run.ts";
import { ProcessIds } from "../workload/workload.ts";
import { assessFaults } from "./assess-faults.ts";
import { probeConvergence } from "./convergence-probe.ts";
import { readFinalValues } from "./final-reads.ts";
import { RunProgress } from "./progress.ts";
import { playSchedule, type FaultRecord, type FaultStep } from "./fault-schedule.ts";
import { StatusSampler } from "./status-sampler.ts";
import { WriteAckRecorder } from "./write-acks.ts";

/**
 * After the last heal the workload goes on until a write is acknowledged, or this long, so the
 * availability checker always sees how soon writes resumed (its thresholds stay below this).
 */
export const recoveryObservationMs = 15_000;

export interface RunRequest {
  scenario: Scenario;
  settings: RunSettings;
  etcdVersion: string;
  /** Members running another release than etcdVersion. */
  memberVersions?: Record<string, string>;
  seed: number;
  /** Parent folder of the run's report folder. */
  outDir: string;
  /** Progress lines for people (stderr). */
  say: (line: string) => void;
  /** A schedule to play instead of the scenario's own (a replay of a stored run). */
  schedule?: FaultStep[];
}

export async function runScenario(request: RunRequest): Promise<RunResults> {
  const { scenario, settings, etcdVersion, seed, say } = request;
  const wallStart = Date.now();
  const memberVersions = request.memberVersions ?? {};
  await prepareRunEnvironment([...new Set([etcdVersion, ...Object.values(memberVersions)])], say);
  const runDir = createRunDir(request.outDir, scenario.name);
  const schedule = request.schedule ?? scenario.schedule(settings, seed);
  const results: RunResults = {
    scenario: scenario.name,
    verdict: "unknown",
    expected: scenario.expected,
    seed,
    etcd: etcdVersion,
    ...(Object.keys(memberVersions).length > 0 ? { memberVersions } : {}),
    settings,
    startedAt: new Date().toISOString(),
    checkers: {},
    schedule,
    faults: [],
    probes: {},
    members: [],
    stats: emptyStats(),
    reportDir: path.relative(process.cwd(), runDir) || ".",
  };
  // Written first, so an interrupted run still says what it was and can be replayed.
  writeResults(runDir, { ...results, error: "the run did not finish" });
  const mixed = Object.entries(memberVersions).map(([name, version]) => ` (${name} on ${version})`).join("");
  say(`${scenario.name}: etcd ${etcdVersion}${mixed}, ${settings.nodes} members, ${settings.timeMs / 1000}s, seed ${seed}; report in ${results.reportDir}`);

  const clock = new RunClock();
  const recorder = new WriteAckRecorder(path.join(runDir, "history.jsonl"), clock);
  const random = seededRandom(seed);
  const cluster = await startCluster({
    size: settings.nodes,
    etcdVersion,
    memberVersions,
    logDir: path.join(runDir, "nodes"),
    ...(scenario.etcdFlags ? { etcdFlags: scenario.etcdFlags } : {}),
  });
  const stopRecording = onInterrupt(async () => recorder.close());
  const sampler = new StatusSampler(cluster, clock, path.join(runDir, "status.jsonl"));
  let faults: FaultRecord[] = [];
  let convergence: ConvergenceProbe | undefined;
  let finalReads: FinalReadsProbe | undefined;
  let workloadSeconds = 0;
  try {
    results.stats.clusterStartupMs = { ...cluster.startupMs };
    say(`cluster eh-${cluster.clusterId} healthy in ${(cluster.startupMs["leader"]! / 1000).toFixed(1)}s`);
    sampler.start();
    const processIds = new ProcessIds();
    const workload = workloadNamed(settings.workload).create({ cluster, recorder, random, settings, processIds, keyPrefix: "" });
    const context = { cluster, random, history: { recorder, processIds } };
    const workloadStart = clock.elapsedMs();
    workload.start();
    const play = playSchedule(schedule, context, recorder);
    faults = play.records;
    const progress = new RunProgress({ recorder, workloadMs: settings.timeMs, fault: () => play.current(), leader: () => sampler.majorityLeader() });
    progress.start();
    try {
      await Promise.all([play.done, new Promise((resolve) => setTimeout(resolve, settings.timeMs))]);
      const lastHeal = Math.max(...faults.map((fault) => fault.end));
      if (faults.length > 0 && !(await recorder.writeAckedAfter(lastHeal, recoveryObservationMs))) {
        say(`no write was acknowledged within ${recoveryObservationMs / 1000}s of the last heal`);
      }
    } catch (error) {
      results.error = `fault schedule failed: ${error instanceof Error ? error.message : String(error)}`;
      await play.abort();
    } finally {
      progress.stop();
      await workload.stop();
      workloadSeconds = (clock.elapsedMs() - workloadStart) / 1000;
      for (const step of schedule) await nemesisNamed(step.fault).heal(context);
    }
    say(`workload done after ${workloadSeconds.toFixed(1)}s; probing convergence`);
    await cluster.waitForLeader(30_000).catch(() => undefined);
    convergence = await probeConvergence(cluster);
    const sofar = (await readHistoryFile(recorder.file, "jsonl")).entries;
    finalReads = await readFinalValues({ cluster, recorder, processIds, workload: settings.workload, settings, history: sofar });
    say(finalReads.skipped ? `no final reads: ${finalReads.skipped}` : `final reads of ${finalReads.keys.length} keys through ${finalReads.members.join(",")}`);
    await sampler.stop();
  } finally {
    recorder.close();
    stopRecording();
    await cluster.stop();
  }

  const history = (await readHistoryFile(recorder.file, "jsonl")).entries;
  assessFaults(faults, sampler.samples, cluster.names);
  results.faults = faults;
  results.members = cluster.names;
  if (convergence) results.probes.convergence = convergence;
  if (finalReads) results.probes.finalReads = finalReads;
  checkRun(results, history, sampler.samples);
  results.stats = { ...results.stats, ...operationStats(history), workloadSeconds, wallSeconds: (Date.now() - wallStart) / 1000 };
  writeResults(runDir, results);
  writeReportSafely(runDir, results, { history, statuses: sampler.samples }, say);
  return results;
}

function createRunDir(outDir: string, scenario: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  for (let attempt = 1; ; attempt++) {
    const dir = path.join(outDir, `${scenario}-${stamp}${attempt > 1 ? `-${attempt}` : ""}`);
    try {
      fs.mkdirSync(path.dirname(dir), { recursive: true });
      fs.mkdirSync(dir);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}

function emptyStats(): RunStats {
  return {
    operations: { ok: 0, fail: 0, info: 0 },
    operationsByNode: {},
    clientProcesses: 0,
    workloadSeconds: 0,
    wallSeconds: 0,
    clusterStartupMs: {},
  };
}

function operationStats(history: HistoryEntry[]): Pick<RunStats, "operations" | "operationsByNode" | "clientProcesses"> {
  const operations = { ok: 0, fail: 0, info: 0 };
  const operationsByNode: RunStats["operationsByNode"] = {};
  const processes = new Set<number>();
  for (const op of pairOperations(history)) {
    operations[op.type]++;
    const node = (operationsByNode[op.node ?? "?"] ??= { ok: 0, fail: 0, info: 0 });
    node[op.type]++;
    processes.add(op.process);
  }
  return { operations, operationsByNode, clientProcesses: processes.size };
}
