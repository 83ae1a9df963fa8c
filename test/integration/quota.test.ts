// Quota exhaustion on real clusters: NOSPACE raised, puts answered NOSPACE (info: etcd may apply a write and still say so), reads served, the runbook brings writes back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseSettings } from "../../scenarios/scenario.ts";
import type { CheckResult } from "../../record/check-result.ts";
import { checkHistory, createModel } from "../../checkers/linearizability/index.ts";
import { quotaAlarmChecker } from "../../checkers/quota-alarm.ts";
import { startCluster } from "../../harness/cluster/docker/docker-cluster.ts";
import { type DockerCluster } from "../../harness/cluster/docker/docker-cluster.ts";
import { alarms } from "../../harness/cluster/member-status.ts";
import type { HistoryEntry } from "../../record/history/entry.ts";
import { defaultEtcdVersion, prepareRunEnvironment } from "../../harness/images/run-images.ts";
import type { FaultRecord } from "../../record/fault.ts";
import { runWorkload } from "../../workloads/run-workload.ts";
import { FaultWriter } from "../../nemesis/fault-writer.ts";
import type { FaultContext, FaultHandle } from "../../nemesis/nemesis.ts";
import { measuredEffect, type MeasuredEffect } from "../support/fault-effect.ts";
import { quotaNemesis, runRunbook } from "../../nemesis/quota.ts";
import { provenRefusals, settleOutcomes } from "../../checkers/settled-outcomes.ts";
import type { RecordedRun } from "../../record/run.ts";
import { quotaAlarmListedMark, quotaDisarmMark } from "../../record/values/quota.ts";
import { quotaBytes } from "../../scenarios/quota-exhaustion.ts";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const quotaFlags = [`--quota-backend-bytes=${quotaBytes}`];

interface QuotaRun {
  history: HistoryEntry[];
  injected: FaultHandle;
  verified: MeasuredEffect;
  fault: FaultRecord;
}

/** A workload with the quota fault in the middle, timed on the history's clock like a scheduled fault. */
async function runWithQuota(cluster: DockerCluster, workload: string, settings: Record<string, unknown> = {}): Promise<QuotaRun> {
  let injected: FaultHandle | undefined;
  let verified: MeasuredEffect | undefined;
  const times = { start: 0, effective: 0, healStart: 0, end: 0 };
  const { history } = await runWorkload(cluster, {
    workload,
    timeMs: 8000,
    settings: { rate: 150, ...settings },
    during: async (recorder, processIds) => {
      const context: FaultContext = { cluster, history: { recorder, processIds } };
      await sleep(1000);
      times.start = recorder.clock.now();
      injected = await quotaNemesis.inject(context, ["n1"], {});
      times.effective = recorder.clock.now();
      await sleep(2500);
      verified = await measuredEffect(injected);
      times.healStart = recorder.clock.now();
      await injected.heal();
      times.end = recorder.clock.now();
      await sleep(2000); // clients write again after the runbook
    },
  });
  const signs = [{ kind: "measured" as const, held: verified!.tookEffect, what: verified!.evidence }];
  const fault: FaultRecord = { step: 0, fault: "quota", selector: "n1", targets: ["n1"], params: {}, ...times, details: injected!.details, signs };
  return { history, injected: injected!, verified: verified!, fault };
}

const recordedRun = (run: QuotaRun, members: string[]): RecordedRun => ({ history: run.history, statuses: [], faults: [run.fault], members, probes: {}, settings: baseSettings });

function alarmCheck(run: QuotaRun, members: string[]): CheckResult {
  return quotaAlarmChecker.check(recordedRun(run, members));
}

describe.each([
  { label: "the default release", version: async () => defaultEtcdVersion() },
  { label: "3.5.35", version: async () => "3.5.35" },
  { label: "3.4.23", version: async () => "3.4.23" },
])("quota on $label", ({ version }) => {
  let cluster: DockerCluster;

  beforeAll(async () => {
    const release = await version();
    await prepareRunEnvironment([release], () => {});
    cluster = await startCluster({ size: 3, etcdVersion: release, etcdFlags: quotaFlags });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it("raises NOSPACE, refuses puts (recorded info, proven unapplied while the alarm is listed) while serving reads, and takes writes again after the runbook", async () => {
    const run = await runWithQuota(cluster, "register");

    expect(run.verified.evidence).toMatch(/^NOSPACE raised by n\d after \d+ puts of 256 KiB .* every backend stayed below the quota \(the fullest, n\d, by [\d.]+ [KM]B\), so no write was applied past it; still raised/);
    expect(run.verified.tookEffect, run.verified.evidence).toBe(true);
    expect(run.verified.evidence).toMatch(/still raised [\d.]+s later, when a linearizable read answered in \d+ms$/);

    // The clients' refusals; the fill's own last write (a put on __harness/) is refused too.
    const refused = run.history.filter((entry) => entry.type === "info" && /database space exceeded/.test(entry.error ?? "") && !entry.key?.startsWith("__harness/"));
    expect(refused.length).toBeGreaterThan(20);
    expect(new Set(refused.map((entry) => entry.f))).toEqual(new Set(["write", "cas"]));
    const verdict = alarmCheck(run, cluster.names);
    expect(verdict.verdict, verdict.summary).toBe("valid");

    for (const member of cluster.members) expect(await alarms(member.admin, 2000), member.name).toEqual([]);
    const runbook = run.history.find((entry) => entry.f === "quota-runbook")?.value as Record<string, unknown>;
    expect(runbook["write"]).toMatch(/^a put went through n1 at revision \d+/);
    expect(runbook["defragment"]).toMatch(/^defragmented n1 .* -> .*; n2 .*; n3 /);

    // Sent after a member listed the alarm and answered before the runbook's disarm mark: refused unapplied.
    expect(run.history.filter((entry) => entry.f === quotaAlarmListedMark)).toHaveLength(1);
    expect(run.history.filter((entry) => entry.f === quotaDisarmMark)).toHaveLength(1);
    const proven = provenRefusals(recordedRun(run, cluster.names));
    expect(proven.size).toBeGreaterThan(20);
    const settled = settleOutcomes(recordedRun(run, cluster.names)).history;
    expect(settled.filter((entry) => entry.type === "fail" && /database space exceeded/.test(entry.error ?? ""))).toHaveLength(proven.size);
    const linearizable = checkHistory(settled, createModel("register"), { timeoutMs: 60_000 });
    expect(linearizable.verdict).toBe("valid");
  });
});

describe("quota under the etcd KV model", () => {
  let cluster: DockerCluster;

  beforeAll(async () => {
    cluster = await startCluster({ size: 3, etcdVersion: await defaultEtcdVersion(), etcdFlags: quotaFlags });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it("stays linearizable because the fill's writes are in the history, and could not be checked without them", async () => {
    const run = await runWithQuota(cluster, "append");
    expect(run.verified.tookEffect, run.verified.evidence).toBe(true);
    const fill = run.history.filter((entry) => entry.key?.startsWith("__harness/quota/") && entry.type === "ok");
    expect(fill.length).toBeGreaterThan(40);
    expect(fill.every((entry) => typeof entry.revision === "number")).toBe(true);
    expect(alarmCheck(run, cluster.names).verdict).toBe("valid");

    const settled = settleOutcomes(recordedRun(run, cluster.names)).history;
    expect(checkHistory(settled, createModel("etcd"), { timeoutMs: 60_000 }).verdict).toBe("valid");
    // Without them, revisions jump by the fill's writes and no order of the clients' operations explains it.
    const clientsOnly = settled.filter((entry) => !entry.key?.startsWith("__harness/"));
    expect(checkHistory(clientsOnly, createModel("etcd"), { timeoutMs: 60_000 }).verdict).toBe("invalid");
  });

  it("fails its heal visibly when writes cannot resume, and the runbook works once they can", async () => {
    const context: FaultContext = { cluster };
    const injected = await quotaNemesis.inject(context, ["n1"], {});
    const effect = await measuredEffect(injected);
    expect(effect.tookEffect, effect.evidence).toBe(true);
    // n1, through which the runbook goes, cut off from the others: nothing it proposes can commit.
    await cluster.links.partition([["n1"], ["n2", "n3"]]);
    try {
      await expect(injected.heal()).rejects.toThrow(/^quota heal: after compacting \(compaction at revision \d+ through n1 failed: .*\), .* a put through n1 still failed for 10000ms: /);
    } finally {
      await cluster.links.healAll();
    }
    // The fault is over as far as its handle goes: a second heal does nothing.
    await injected.heal();
    await cluster.waitForLeader(20_000);
    expect((await alarms(cluster.member("n2").admin, 5000)).map((alarm) => alarm.alarm)).toEqual(["Nospace"]);

    const runbook = await runRunbook(cluster, "n2", new FaultWriter(undefined));
    expect(runbook.error).toBeUndefined();
    for (const member of cluster.members) expect(await alarms(member.admin, 2000), member.name).toEqual([]);
  });
});
