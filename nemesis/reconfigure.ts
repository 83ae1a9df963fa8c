// reconfigure: the write-ups' change of settings on a running cluster: each member in turn stopped and started again on its data with new etcd flags (heartbeat and election timeout by default), followers first.
import type { Cluster } from "../harness/cluster/backend.ts";
import { parseFlag } from "../harness/cluster/member-flags.ts";
import { doneHandle, measured, type FaultParams, type Nemesis } from "./nemesis.ts";
import { stopEtcd } from "./recovery-steps.ts";
import { Runbook } from "./runbook.ts";
import { runClock } from "./snapshot-save.ts";
import { majorityLeader } from "./targets.ts";

/** The write-ups' settings across data centres: heartbeat 1 s, elections after 5 s. */
export const writeUpFlags = ["heartbeat-interval=1000", "election-timeout=5000"];

export const reconfigureNemesis: Nemesis = {
  name: "reconfigure",
  summary: "restart every target in turn on its data with params.flags (default heartbeat-interval=1000, election-timeout=5000), followers first, each rejoined before the next",
  instant: true,
  unavailableReason: (cluster, targets, params) => {
    if (targets.length === 0) return "name the members to reconfigure (all)";
    if (cluster.spec.tls || cluster.spec.auth) return "the reconfigure rehearsal runs on plain-text clusters without auth";
    try {
      flagsOf(params);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
    return undefined;
  },
  async inject(context, targets, params) {
    const { cluster } = context;
    const flags = flagsOf(params);
    const runbook = new Runbook(runClock(context));
    const leader = await majorityLeader(cluster);
    const order = [...targets].sort((a, b) => Number(a === leader) - Number(b === leader));
    const seen: string[] = [];
    for (const name of order) {
      await runbook.step(`restart ${name} with ${flags.join(" ")}`, `systemctl restart etcd (on ${name}, with ${flags.join(" ")})`, async () => {
        const started = Date.now();
        await restartWith(cluster, name, flags);
        await cluster.waitForLeader(30_000);
        seen.push(await settingsLine(cluster, name, started));
      });
    }
    const expected = flags.map((flag) => flag.replace(/^--/, ""));
    return doneHandle({ flags, order, settings: seen, steps: runbook.steps }, [
      measured(seen.every((line) => expectedIn(line, expected)), `each member started with ${expected.join(", ")}: ${seen.join("; ")}`),
    ]);
  },
};

function flagsOf(params: FaultParams): string[] {
  const given = params["flags"] ?? writeUpFlags;
  if (!Array.isArray(given) || given.length === 0 || !given.every((flag) => typeof flag === "string")) throw new Error('params.flags is a list of etcd flags, such as ["heartbeat-interval=1000", "election-timeout=5000"]');
  return given.map(parseFlag);
}

/** Stops the member's etcd and starts it again on the same data and place with the flags added. */
async function restartWith(cluster: Cluster, name: string, flags: string[]): Promise<void> {
  await stopEtcd(cluster, name);
  const data = await cluster.recovery.dataArchive(name);
  const members = [...cluster.names];
  await cluster.recovery.destroy(name);
  await cluster.recovery.start(name, { members, clusterState: "existing", flags, data });
}

/** What the member's etcd said of its heartbeat and election timeout when it started. */
async function settingsLine(cluster: Cluster, name: string, sinceMs: number): Promise<string> {
  const output = await cluster.processes.recentOutput(name, 400, sinceMs).catch(() => "");
  // etcd's "starting an etcd server" line gives both as durations ("1s"); the flags it echoes before it do not.
  const line = output.split("\n").find((candidate) => candidate.includes("starting an etcd server") && candidate.includes("heartbeat-interval"));
  if (!line) return `${name}: no start-up line naming its heartbeat and election timeout`;
  const heartbeat = /heartbeat-interval\W+([\d.]+m?s)/.exec(line)?.[1] ?? "?";
  const election = /election-timeout\W+([\d.]+m?s)/.exec(line)?.[1] ?? "?";
  return `${name}: heartbeat ${heartbeat}, election timeout ${election}`;
}

/** Whether the start-up figures match the flags (1000 ms is "1s", 5000 ms "5s"); flags other than these two are not checked. */
function expectedIn(line: string, flags: string[]): boolean {
  const wanted = (name: string, label: string): boolean => {
    const flag = flags.find((candidate) => candidate.startsWith(`${name}=`));
    if (!flag) return true;
    const ms = Number(flag.split("=")[1]);
    const match = new RegExp(`${label} ([\\d.]+)(ms|s)`).exec(line);
    return match !== null && Number(match[1]) * (match[2] === "s" ? 1000 : 1) === ms;
  };
  return wanted("heartbeat-interval", "heartbeat") && wanted("election-timeout", "election timeout");
}
