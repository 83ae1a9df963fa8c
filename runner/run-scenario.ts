// One run of a planned scenario: cluster up, workload and faults on one clock, heal, probe, final reads, tear down, check, report.
import fs from "node:fs";
import path from "node:path";
import type { ClusterBackend } from "../harness/cluster/backend.ts";
import { dockerBackend } from "../harness/cluster/docker/docker-cluster.ts";
import { ClientPauses } from "../harness/clients/client-pauses.ts";
import { RunClock } from "../harness/history/clock.ts";
import { ProcessIds } from "../harness/history/process-ids.ts";
import { memberName } from "../harness/cluster/topology.ts";
import { prepareEtcd, type EtcdRequest } from "../harness/images/prepare-etcd.ts";
import { ensurePowerlossFs } from "../harness/images/powerloss-fs.ts";
import { ensureEtcdutlImage } from "../harness/images/run-images.ts";
import { HarnessError, usageError } from "../harness/errors.ts";
import { onInterrupt } from "../harness/lifecycle/shutdown.ts";
import { probeConvergence } from "../harness/probes/convergence-probe.ts";
import { StatusSampler } from "../harness/probes/status-sampler.ts";
import { randomStream } from "../harness/random.ts";
import { describeBuild } from "../record/etcd-build.ts";
import type { HistoryEntry } from "../record/history/entry.ts";
import type { StatusSample } from "../record/status.ts";
import { readHistoryFile } from "../record/history/history-file.ts";
import { emptyStats, recordFormat, writeResults, type RunResults } from "../record/results.ts";
import { describeAccess } from "../record/settings.ts";
import { checkRun } from "./check-run.ts";
import { operationStats } from "./operation-stats.ts";
import { requireFailpoints } from "./etcd-request.ts";
import { readFinalValues } from "./final-reads.ts";
import { expectedOn } from "../scenarios/scenario-of.ts";
import { outsideWrites } from "../workloads/outside-writes.ts";
import { createWorkload } from "../workloads/registry.ts";
import type { ResolvedPlan } from "./plan.ts";
import { playSchedule } from "./play-schedule.ts";
import { RunProgress } from "./progress.ts";
import { WriteAckRecorder } from "./write-acks.ts";

/**
 * After the last heal the workload goes on until a write is acknowledged, or this long, so the
 * availability checker always sees how soon writes resumed (its thresholds stay below this).
 */
export const recoveryObservationMs = 15_000;

/** With auth on, the workload's keys live under this prefix, the only range its user's role may touch. */
export const workloadPrefix = "/workload/";

/** Writes a finished run's report files (the commands pass reports/report.ts's writer: the runner sits below reports). */
export type RunReporter = (runDir: string, results: RunResults, inputs: { history: HistoryEntry[]; statuses: StatusSample[] }, say: (line: string) => void) => void;

export interface RunRequest {
  plan: ResolvedPlan;
  /** The etcd to run (a release, a source tree or an image), members on other releases, and the user's flags. */
  etcd: EtcdRequest;
  seed: number;
  /** Parent folder of the run's report folder. */
  outDir: string;
  /** Progress lines for people (stderr). */
  say: (line: string) => void;
  /** Resolve every step's selector again, even where the schedule pins the targets a recorded run hit. */
  retarget?: boolean;
  /** What runs the members; Docker unless a caller brings another. */
  backend?: ClusterBackend;
  /** Writes the report files once results.json is final; none are written without it. */
  report?: RunReporter;
}

export async function runScenario(request: RunRequest): Promise<RunResults> {
  const { plan, seed, say } = request;
  const { scenario, settings, schedule } = plan;
  const wallStart = Date.now();
  const members = Array.from({ length: settings.nodes }, (_, index) => memberName(index + 1));
  requireFailpoints(scenario.name, plan.faults, request.etcd, members);
  const powerLossFs = plan.faults.some((fault) => fault.needsPowerLossFs) ? await ensurePowerlossFs(say) : undefined;
  const etcd = await prepareEtcd(request.etcd, { flags: scenario.etcdFlags ?? [], ...(scenario.etcd?.memberFlags ? { memberFlags: scenario.etcd.memberFlags } : {}) }, members, say);
  const { memberVersions } = etcd;
  if (plan.faults.some((fault) => fault.needsEtcdutl)) await ensureEtcdutl(scenario.name, etcd.version, say);
  const runDir = createRunDir(request.outDir, scenario.name);
  const results: RunResults = {
    format: recordFormat,
    scenario: scenario.name,
    scenarioSpec: scenario.spec,
    verdict: "unknown",
    expected: expectedOn(scenario, etcd.version),
    seed,
    etcd: etcd.version,
    build: etcd.build,
    ...(Object.keys(memberVersions).length > 0 ? { memberVersions } : {}),
    ...(etcd.etcdFlags.length > 0 ? { etcdFlags: etcd.etcdFlags } : {}),
    ...(Object.keys(etcd.memberEtcdFlags).length > 0 ? { memberEtcdFlags: etcd.memberEtcdFlags } : {}),
    settings,
    startedAt: new Date().toISOString(),
    plan: plan.record,
    checkers: {},
    schedule,
    faults: [],
    probes: {},
    members: [],
    stats: emptyStats(),
    reportDir: path.relative(process.cwd(), runDir) || ".",
  };
  // Written first, so an interrupted run still says what it was and can be replayed or analyzed.
  writeResults(runDir, { ...results, error: "the run did not finish" });
  const mixed = Object.entries(memberVersions).map(([name, version]) => ` (${name} on ${version})`).join("");
  const flags = etcd.etcdFlags.length > 0 ? `, flags ${etcd.etcdFlags.join(" ")}` : "";
  say(`${scenario.name}: ${describeBuild(etcd.version, etcd.build)}${mixed}${flags}, ${settings.nodes} member${settings.nodes === 1 ? "" : "s"}, ${settings.timeMs / 1000}s, ${describeAccess(settings)}, seed ${seed}; report in ${results.reportDir}`);

  const clock = new RunClock();
  const recorder = new WriteAckRecorder(path.join(runDir, "history.jsonl"), clock);
  const cluster = await (request.backend ?? dockerBackend).start({
    size: settings.nodes,
    etcdVersion: etcd.version,
    memberVersions,
    logDir: path.join(runDir, "nodes"),
    ...(etcd.image ? { etcdImage: etcd.image } : {}),
    etcdFlags: etcd.etcdFlags,
    memberEtcdFlags: etcd.memberEtcdFlags,
    ...(scenario.etcd?.corruptionChecks ? { corruptionChecks: true } : {}),
    ...(powerLossFs ? { powerLossFs } : {}),
    ...(settings.tls ? { tls: settings.tls } : {}),
    ...(settings.auth ? { auth: { token: settings.auth, prefix: workloadPrefix } } : {}),
    // Certificates and passwords stay out of what a report shares, and go with the cluster.
    ...(settings.tls || settings.auth ? { secretsDir: path.join(runDir, "private") } : {}),
  });
  const stopRecording = onInterrupt(async () => recorder.close());
  const sampler = new StatusSampler(cluster, clock, path.join(runDir, "status.jsonl"));
  const processIds = new ProcessIds();
  const clients = new ClientPauses();
  let workloadSeconds = 0;
  try {
    results.stats.clusterStartupMs = { ...cluster.startupMs };
    say(`cluster eh-${cluster.clusterId} healthy in ${(cluster.startupMs["leader"]! / 1000).toFixed(1)}s`);
    sampler.start();
    const workloadContext = {
      cluster,
      recorder,
      randomFor: (...labels: Array<string | number>) => randomStream(seed, "workload", ...labels),
      settings,
      processIds,
      keyPrefix: settings.auth ? workloadPrefix : "",
      clients,
    };
    const workload = createWorkload(plan.workload, workloadContext);
    const prober = settings.auth ? outsideWrites(workloadContext) : undefined;
    const workloadStart = clock.elapsedMs();
    workload.start();
    prober?.start();
    const play = playSchedule({
      steps: schedule,
      faults: plan.faults,
      context: { cluster, history: { recorder, processIds }, clients },
      recorder,
      seed,
      ...(request.retarget ? { retarget: true } : {}),
    });
    results.faults = play.records;
    const progress = new RunProgress({ recorder, workloadMs: settings.timeMs, fault: () => play.current(), leader: () => sampler.majorityLeader() });
    progress.start();
    try {
      await Promise.all([play.done, new Promise((resolve) => setTimeout(resolve, settings.timeMs))]);
      const lastHeal = Math.max(...play.records.map((fault) => fault.end));
      if (play.records.length > 0 && !(await recorder.writeAckedAfter(lastHeal, recoveryObservationMs))) {
        say(`no write was acknowledged within ${recoveryObservationMs / 1000}s of the last heal`);
      }
    } catch (error) {
      results.error = `fault schedule failed: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      progress.stop();
      // Heals whatever is still in place, whichever way the schedule ended.
      await play.abort();
      clients.resume();
      await Promise.all([workload.stop(), prober?.stop()]);
      workloadSeconds = (clock.elapsedMs() - workloadStart) / 1000;
    }
    say(`workload done after ${workloadSeconds.toFixed(1)}s; probing convergence`);
    await cluster.waitForLeader(30_000).catch(() => undefined);
    results.probes.convergence = await probeConvergence(cluster);
    const sofar = (await readHistoryFile(recorder.file, "jsonl")).entries;
    const finalReads = await readFinalValues({ cluster, recorder, processIds, workload: settings.workload, settings, history: sofar });
    results.probes.finalReads = finalReads;
    say(finalReads.skipped ? `no final reads: ${finalReads.skipped}` : `final reads of ${finalReads.keys.length} keys through ${finalReads.members.join(",")}`);
    results.members = cluster.names;
    await sampler.stop();
  } finally {
    recorder.close();
    stopRecording();
    await cluster.stop();
  }

  const history = (await readHistoryFile(recorder.file, "jsonl")).entries;
  checkRun(results, plan.checkers, history, sampler.samples);
  results.stats = { ...results.stats, ...operationStats(history), workloadSeconds, wallSeconds: (Date.now() - wallStart) / 1000 };
  writeResults(runDir, results);
  request.report?.(runDir, results, { history, statuses: sampler.samples }, say);
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

/** The etcdutl of the run's release, built before the cluster starts so no build lands inside a recovery's measured time. */
async function ensureEtcdutl(scenario: string, version: string, say: (line: string) => void): Promise<void> {
  try {
    await ensureEtcdutlImage(version, say);
  } catch (error) {
    if (error instanceof HarnessError) throw error;
    throw usageError(`${scenario} needs etcdutl of etcd ${version}: ${error instanceof Error ? error.message : String(error)} (run it with --etcd 3.5 or later)`);
  }
}
