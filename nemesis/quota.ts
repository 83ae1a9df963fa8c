// Quota exhaustion: fill the backend until etcd raises NOSPACE; heal with the operator's runbook and check writes resume.
//
// Needs a cluster started with a small --quota-backend-bytes (the quota-exhaustion scenario sets 16 MiB).
// While the alarm is raised etcd refuses every put ("database space exceeded") and serves reads and
// deletes. The heal is etcd's runbook: compact at the current revision, defragment
// every member one at a time, disarm the alarm, and check that a write succeeds; if it does not, the
// heal fails with what it did, and the run says so.
import type { Cluster } from "../harness/cluster/backend.ts";
import { deadline } from "../harness/clients/etcd-client.ts";
import { errorMessage } from "../harness/clients/outcome.ts";
import { alarms } from "../harness/cluster/member-status.ts";
import { megabytes } from "../harness/cluster/member-storage.ts";
import { quotaAlarmListedMark, quotaDisarmMark } from "../record/values/quota.ts";
import { compactAtCurrentRevision, defragmentEach, judgeCompaction, judgeDefragmentation } from "./admin.ts";
import { FaultWriter } from "./fault-writer.ts";
import { faultHandle, measured, type FaultContext, type FaultParams, type Nemesis } from "./nemesis.ts";
import { fillKey, fillUntilNospace, judgeFill, maxRequestBytes, quotaBytesOf, type FillOptions } from "./quota-fill.ts";

export const probeKey = "__harness/quota/probe";
/** Quotas above this take too long to fill in a run. */
const largestQuota = 256 * 1024 * 1024;
const fillBudgetMs = 60_000;
const writeBudgetMs = 10_000;

function fillOptions(cluster: Cluster, params: FaultParams): FillOptions | string {
  const quotaBytes = quotaBytesOf(cluster.spec.etcdFlags ?? []);
  if (quotaBytes === undefined) return "the cluster has no --quota-backend-bytes among its etcd flags (a scenario's etcdFlags), so filling it would take gigabytes";
  if (quotaBytes > largestQuota) return `--quota-backend-bytes=${quotaBytes} is more than ${megabytes(largestQuota)} to fill; use a smaller quota`;
  const chunkBytes = params["chunkBytes"] ?? 256 * 1024;
  // A backend can grow by a few hundred KiB more than the fill wrote (pages held by open reads), hence the margin.
  const marginBytes = params["marginBytes"] ?? 768 * 1024;
  const fits = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value >= 1024 && value <= 1024 * 1024;
  if (!fits(chunkBytes) || !fits(marginBytes)) return "chunkBytes and marginBytes are whole numbers from 1024 to 1048576";
  if (chunkBytes + marginBytes + 128 * 1024 > maxRequestBytes) return "chunkBytes + marginBytes leave no room below etcd's request size limit";
  return { quotaBytes, chunkBytes, marginBytes, budgetMs: fillBudgetMs };
}

export const quotaNemesis: Nemesis = {
  name: "quota",
  summary: "fill the backend through the target until NOSPACE (cluster with a small --quota-backend-bytes); heal: compact, defragment all, disarm, write",
  unavailableReason(cluster, targets, params) {
    const options = fillOptions(cluster, params);
    if (typeof options === "string") return options;
    return targets.length !== 1 ? "the fill goes through one member" : undefined;
  },
  async inject({ cluster, history }, targets, params) {
    const options = fillOptions(cluster, params) as FillOptions;
    const via = targets[0]!;
    const writer = new FaultWriter(history);
    // The runbook heals even a fill that failed half way.
    const heal = (): Promise<void> => healWithRunbook(cluster, via, writer, history);
    // From this mark on, every write etcd answers NOSPACE was refused unapplied (checkers/settled-outcomes.ts).
    const markListed = (member: string): void => {
      history?.recorder.record({ process: "nemesis", type: "info", f: quotaAlarmListedMark, value: { member } });
    };
    const result = await fillUntilNospace(cluster, via, writer, options, markListed).catch(async (error: unknown) => {
      await heal().catch(() => undefined);
      throw error;
    });
    const filled = judgeFill(result, options, cluster.names);
    const alarmedAt = Date.now();
    return faultHandle(
      {
        quotaBytes: options.quotaBytes,
        puts: result.puts,
        bytesWritten: result.bytesWritten,
        raisedBy: result.raisedBy,
        dbSizes: Object.fromEntries(result.storages.map((storage) => [storage.member, storage.dbSize])),
      },
      {
        async verify() {
          const member = cluster.member(via);
          const still = await alarms(member.admin, 2000).catch((error: unknown) => errorMessage(error));
          const raised = typeof still !== "string" && still.some((alarm) => /nospace/i.test(alarm.alarm));
          const started = performance.now();
          const read = await member.admin.kv
            .range({ key: Buffer.from(fillKey), count_only: true }, deadline(2000))
            .then(() => `a linearizable read answered in ${Math.round(performance.now() - started)}ms`)
            .catch((error: unknown) => `a linearizable read failed: ${errorMessage(error)}`);
          const held = `${((Date.now() - alarmedAt) / 1000).toFixed(1)}s`;
          if (!raised) return [measured(false, `${filled.what}; but the alarm was gone ${held} later (${typeof still === "string" ? still : "not listed"})`)];
          return [measured(filled.held, `${filled.what}; still raised ${held} later, when ${read}`)];
        },
        heal,
      },
    );
  },
};

async function healWithRunbook(cluster: Cluster, via: string, writer: FaultWriter, history: FaultContext["history"]): Promise<void> {
  // Until this mark every write etcd answered NOSPACE was refused unapplied (checkers/settled-outcomes.ts).
  const markDisarm = (raised: string[]): void => {
    history?.recorder.record({ process: "nemesis", type: "info", f: quotaDisarmMark, value: { alarms: raised } });
  };
  const runbook = await runRunbook(cluster, via, writer, markDisarm);
  history?.recorder.record({ process: "nemesis", type: "info", f: "quota-runbook", value: runbook.steps });
  if (runbook.error) throw new Error(runbook.error);
}

export interface Runbook {
  /** What each step did, for the history. */
  steps: Record<string, unknown>;
  /** Set when the cluster did not take writes again: what was done, and the last answer. */
  error?: string;
}

/**
 * etcd's runbook for NOSPACE: compact away old revisions, defragment every member, disarm the alarm,
 * and check that a put goes through again (within `writeBudgetMs`, as disarming goes through raft).
 */
export async function runRunbook(cluster: Cluster, via: string, writer: FaultWriter, beforeDisarm: (alarms: string[]) => void = () => undefined): Promise<Runbook> {
  const steps: Record<string, unknown> = {};
  const compaction = await compactAtCurrentRevision(cluster, via);
  steps["compact"] = judgeCompaction(compaction).what;
  const defragmented = await defragmentEach(cluster, cluster.names);
  steps["defragment"] = judgeDefragmentation(defragmented).what;
  const raised = await alarms(cluster.member(via).admin, 2000).catch(() => []);
  const disarmed: string[] = [];
  if (raised.length > 0) beforeDisarm(raised.map((alarm) => `${alarm.alarm} of ${cluster.nameOf(alarm.memberId) ?? alarm.memberId}`));
  for (const alarm of raised) {
    try {
      await cluster.member(via).admin.maintenance.alarm({ action: "Deactivate", memberID: alarm.memberId, alarm: alarm.alarm as "Nospace" }, deadline(5000));
      disarmed.push(`${alarm.alarm} of ${cluster.nameOf(alarm.memberId) ?? alarm.memberId}`);
    } catch (error) {
      disarmed.push(`${alarm.alarm} of ${cluster.nameOf(alarm.memberId) ?? alarm.memberId} failed: ${errorMessage(error)}`);
    }
  }
  steps["disarm"] = disarmed.length > 0 ? disarmed : "no alarm was raised";
  const started = Date.now();
  let attempt = 0;
  let answer = "";
  while (Date.now() - started < writeBudgetMs) {
    const outcome = await writer.put(cluster.member(via), probeKey, Buffer.from(`healed-${++attempt}`), `healed-${attempt}`, 2000);
    if (outcome.ok) {
      steps["write"] = `a put went through ${via} at revision ${outcome.revision} after ${attempt} tries`;
      return { steps };
    }
    answer = outcome.error;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  steps["write"] = `no put went through in ${writeBudgetMs}ms: ${answer}`;
  return {
    steps,
    error: `quota heal: after compacting (${steps["compact"]}), defragmenting (${steps["defragment"]}) and disarming (${disarmed.join(", ") || "nothing"}), a put through ${via} still failed for ${writeBudgetMs}ms: ${answer}`,
  };
}
