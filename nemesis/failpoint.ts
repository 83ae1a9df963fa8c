// Failpoint faults on a failpoints build of etcd: crash a member at an exact point of its write path and restart it on its data, or slow it there.
import { deadline } from "../harness/clients/etcd-client.ts";
import type { Cluster } from "../harness/cluster/backend.ts";
import { armFailpoint, disarmFailpoint, failpointHits } from "../harness/cluster/failpoints.ts";
import { releaseOf } from "../harness/images/etcd-releases.ts";
import type { EffectSign, FaultParams } from "../record/fault.ts";
import { crashPointNamed, type CrashPoint } from "./failpoint-catalog.ts";
import { failpointPanicIn } from "./failpoint-panic.ts";
import { doneHandle, faultHandle, measured, type Nemesis } from "./nemesis.ts";
import { rejoin } from "./process.ts";

/** How long an armed failpoint may take to be reached, and a restarted member to rejoin. */
const reachBudgetMs = 20_000;
const rejoinBudgetMs = 30_000;

/** Why the targets cannot have `params.failpoint` armed, or undefined when every one can. */
function failpointUnavailable(cluster: Cluster, targets: string[], params: FaultParams): string | undefined {
  if (targets.length === 0) return "no targets";
  const failpoint = params["failpoint"];
  if (typeof failpoint !== "string" || failpoint === "") return "params.failpoint names the failpoint to arm, e.g. raftBeforeSave";
  for (const name of targets) {
    if (!cluster.names.includes(name)) return `${name} is not a member`;
    const member = cluster.member(name);
    const version = cluster.versionOf(name);
    if (!member.failpoints) return `${name} runs etcd ${version}, a build without failpoints: run it with --etcd ${releaseOf(version).release}+failpoints`;
    if (!member.failpoints.names.includes(failpoint)) {
      return `etcd ${version} has no failpoint ${failpoint}; its ${member.failpoints.names.length}: ${member.failpoints.names.join(", ")}`;
    }
  }
  return undefined;
}

/** Arms a failpoint with panic on one member, waits for its etcd to die there, and restarts it on its data. */
export const failpointCrashNemesis: Nemesis = {
  name: "failpoint-crash",
  summary: "arm a gofail failpoint (params.failpoint) with panic on one member, wait until its etcd dies there, restart it on its data (a +failpoints build)",
  instant: true,
  needsFailpoints: true,
  unavailableReason(cluster, targets, params) {
    if (targets.length !== 1) return "one target at a time";
    const term = params["term"] ?? "panic";
    if (typeof term !== "string" || !term.includes("panic")) return `params.term is a gofail term that panics ("panic", "1*panic", "50%panic"), got ${JSON.stringify(term)}`;
    return failpointUnavailable(cluster, targets, params);
  },
  async inject({ cluster }, targets, params) {
    const name = targets[0]!;
    const failpoint = params["failpoint"] as string;
    const term = (params["term"] as string | undefined) ?? "panic";
    const failpoints = cluster.member(name).failpoints!;
    const point = crashPointNamed(failpoint);
    const armed = Date.now();
    await armFailpoint(failpoints, failpoint, term);
    if (point?.trigger) void triggered(cluster, name, point.trigger);
    const exitCode = await cluster.processes.waitForExit(name, reachBudgetMs);
    if (exitCode === undefined) {
      const hits = await failpointHits(failpoints, failpoint).catch(() => undefined);
      await disarmFailpoint(failpoints, failpoint).catch(() => undefined);
      const reached = hits === undefined ? "" : ` (reached ${hits} times, without dying)`;
      return doneHandle({ failpoint, term, crashed: false, ...(hits !== undefined ? { hits } : {}) }, [
        measured(false, `${name} did not die at ${failpoint} within ${reachBudgetMs / 1000}s of arming it${reached}; disarmed`),
      ]);
    }
    const crashedAfterMs = Date.now() - armed;
    const panic = failpointPanicIn(await cluster.processes.recentOutput(name, 400, armed).catch(() => ""));
    const restarted = Date.now();
    await cluster.processes.restart(name);
    const rejoined = await rejoin(cluster, name, rejoinBudgetMs);
    const rejoinedAfterMs = Date.now() - restarted;
    const where = panic?.at ? ` (${panic.at}, in ${panic.function})` : "";
    const details = {
      failpoint,
      term,
      crashed: true,
      exitCode,
      crashedAfterMs,
      ...(point?.trigger ? { trigger: point.trigger } : {}),
      ...(panic?.at ? { at: panic.at, function: panic.function } : {}),
      ...(rejoined ? { rejoinedAfterMs } : {}),
    };
    const sign: EffectSign = !panic
      ? measured(false, `${name}'s etcd exited with ${exitCode} ${(crashedAfterMs / 1000).toFixed(1)}s after ${failpoint} was armed, but its output shows no failpoint panic`)
      : !rejoined
        ? measured(false, `${name} panicked at ${failpoint}${where} but did not rejoin within ${rejoinBudgetMs / 1000}s of its restart`)
        : measured(
            true,
            `${name} panicked at ${failpoint}${where} ${(crashedAfterMs / 1000).toFixed(1)}s after arming${point?.trigger ? ` (reached by a ${point.trigger})` : ""}; restarted on its data, it rejoined after ${(rejoinedAfterMs / 1000).toFixed(1)}s`,
          );
    return doneHandle(details, [sign]);
  },
};

/** Arms a failpoint with a sleep on the targets while the fault lasts; shows it was reached. */
export const failpointSleepNemesis: Nemesis = {
  name: "failpoint-sleep",
  summary: "arm a gofail failpoint (params.failpoint) with sleep(params.ms, 500 by default) on the targets; heal disarms it (a +failpoints build)",
  needsFailpoints: true,
  unavailableReason(cluster, targets, params) {
    const ms = params["ms"] ?? 500;
    if (typeof ms !== "number" || !Number.isInteger(ms) || ms < 1 || ms > 60_000) return `params.ms is how long each pass sleeps, 1 to 60000 ms, got ${JSON.stringify(ms)}`;
    return failpointUnavailable(cluster, targets, params);
  },
  async inject({ cluster }, targets, params) {
    const failpoint = params["failpoint"] as string;
    const term = `sleep(${(params["ms"] as number | undefined) ?? 500})`;
    const armedOn: string[] = [];
    const heal = async (): Promise<void> => {
      await Promise.all(armedOn.map((name) => disarmFailpoint(cluster.member(name).failpoints!, failpoint)));
    };
    try {
      for (const name of targets) {
        await armFailpoint(cluster.member(name).failpoints!, failpoint, term);
        armedOn.push(name);
      }
    } catch (error) {
      await heal().catch(() => undefined);
      throw error;
    }
    return faultHandle(
      { failpoint, term },
      {
        async verify() {
          const hits = await Promise.all(targets.map(async (name) => [name, await failpointHits(cluster.member(name).failpoints!, failpoint).catch(() => 0)] as const));
          const idle = hits.filter(([, count]) => count === 0).map(([name]) => name);
          const counts = hits.map(([name, count]) => `${name} ${count} times`).join(", ");
          return [idle.length === 0 ? measured(true, `${failpoint} slept ${term.slice(6, -1)}ms per pass: ${counts}`) : measured(false, `${failpoint} was never reached on ${idle.join(",")} (${counts})`)];
        },
        heal,
      },
    );
  },
};

/** Makes the member reach a point only an operation reaches: compaction (through raft, applied everywhere) or its own defragmentation. */
async function triggered(cluster: Cluster, name: string, trigger: NonNullable<CrashPoint["trigger"]>): Promise<void> {
  const admin = cluster.member(name).admin;
  try {
    if (trigger === "defrag") {
      await admin.maintenance.defragment(deadline(reachBudgetMs));
    } else {
      const revision = Number((await admin.maintenance.status(deadline(2000))).header.revision);
      await admin.kv.compact({ revision }, deadline(reachBudgetMs));
    }
  } catch {
    // The member dies part way through: that is the point.
  }
}
