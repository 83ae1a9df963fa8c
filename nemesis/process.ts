// Process faults on members' etcd: SIGKILL and restart, graceful restart, pause and resume, rolling restart.
//
// etcd runs as PID 1 of its own container inside the member's pod, so a signal from the engine reaches
// it directly, and a restart reuses the same container: same data directory, address and proxies.
import type { StartedCluster } from "../harness/cluster/cluster.ts";
import { signalContainer, waitForExit } from "../harness/cluster/container-control.ts";
import { memberStatus } from "../harness/cluster/member-status.ts";
import type { FaultEffect, Nemesis } from "./nemesis.ts";

const exitBudgetMs = 10_000;
const unresponsiveBudgetMs = 5000;
const rejoinBudgetMs = 30_000;

/** Members a nemesis has stopped or paused, per cluster, so heal knows whom to bring back. */
const killed = new WeakMap<StartedCluster, Set<string>>();
const paused = new WeakMap<StartedCluster, Set<string>>();

const some = (cluster: StartedCluster, targets: string[]): string | undefined =>
  targets.length === 0 ? "no targets" : targets.some((name) => !cluster.names.includes(name)) ? "a target is not a member" : undefined;

/** SIGKILL the targets' etcd; heal starts them again on their data. */
export const killNemesis: Nemesis = {
  name: "kill",
  summary: "SIGKILL the targets' etcd; heal restarts them on the same data",
  unavailableReason: some,
  async inject({ cluster }, targets) {
    const set = killed.get(cluster) ?? new Set();
    killed.set(cluster, set);
    const exits = await Promise.all(
      targets.map(async (name) => {
        set.add(name);
        const id = cluster.member(name).etcd.getId();
        await signalContainer(id, "SIGKILL");
        return [name, await waitForExit(id, exitBudgetMs)] as const;
      }),
    );
    const refused = await unanswered(cluster, targets, 1000);
    const alive = exits.filter(([, code]) => code === undefined).map(([name]) => name);
    const effect: FaultEffect =
      alive.length === 0 && refused.length === targets.length
        ? { tookEffect: true, evidence: exits.map(([name, code]) => `${name}'s etcd exited with ${code}`).join(", ") + "; their client ports no longer answer" }
        : { tookEffect: false, evidence: `still running after SIGKILL: ${[...alive, ...targets.filter((name) => !refused.includes(name))].join(",")}` };
    return { details: { signal: "SIGKILL" }, effect };
  },
  async heal({ cluster }) {
    const set = killed.get(cluster);
    if (!set) return;
    await Promise.all([...set].map((name) => cluster.restartMember(name)));
    killed.delete(cluster);
  },
};

/** SIGSTOP the targets' etcd: the process keeps its sockets but does nothing; heal sends SIGCONT. */
export const pauseNemesis: Nemesis = {
  name: "pause",
  summary: "SIGSTOP the targets' etcd (sockets open, nothing answered); heal sends SIGCONT",
  unavailableReason: some,
  async inject({ cluster }, targets) {
    const set = paused.get(cluster) ?? new Set();
    paused.set(cluster, set);
    await Promise.all(
      targets.map(async (name) => {
        set.add(name);
        await signalContainer(cluster.member(name).etcd.getId(), "SIGSTOP");
      }),
    );
    const silent = await silentWithin(cluster, targets, unresponsiveBudgetMs);
    const effect: FaultEffect =
      silent.length === targets.length
        ? { tookEffect: true, evidence: `${targets.join(",")} stopped answering status calls` }
        : { tookEffect: false, evidence: `still answering ${unresponsiveBudgetMs}ms after SIGSTOP: ${targets.filter((name) => !silent.includes(name)).join(",")}` };
    return { details: { signal: "SIGSTOP" }, effect };
  },
  async heal({ cluster }) {
    const set = paused.get(cluster);
    if (!set) return;
    await Promise.all([...set].map((name) => signalContainer(cluster.member(name).etcd.getId(), "SIGCONT")));
    paused.delete(cluster);
  },
};

/** SIGTERM the targets' etcd, let it shut down cleanly, and start it again; an instant action. */
export const gracefulRestartNemesis: Nemesis = {
  name: "restart",
  summary: "graceful restart: SIGTERM the targets' etcd, wait for a clean exit, start it again",
  instant: true,
  unavailableReason: some,
  async inject({ cluster }, targets) {
    const outcomes = await Promise.all(targets.map((name) => restartGracefully(cluster, name)));
    const failed = outcomes.filter((outcome) => !outcome.tookEffect);
    return {
      details: { signal: "SIGTERM" },
      effect: failed.length ? { tookEffect: false, evidence: failed.map((outcome) => outcome.evidence).join("; ") } : { tookEffect: true, evidence: outcomes.map((outcome) => outcome.evidence).join("; ") },
    };
  },
  async heal() {},
};

/** Restarts every member gracefully, one at a time, each rejoining before the next goes down. */
export const rollingRestartNemesis: Nemesis = {
  name: "rolling-restart",
  summary: "graceful restart of every member in turn, each rejoining before the next",
  instant: true,
  unavailableReason: (cluster) => (cluster.members.length < 3 ? "a rolling restart keeps a quorum only with at least 3 members" : undefined),
  async inject({ cluster }) {
    const evidence: string[] = [];
    for (const name of cluster.names) {
      const outcome = await restartGracefully(cluster, name);
      if (!outcome.tookEffect) return { details: { order: cluster.names }, effect: outcome };
      evidence.push(outcome.evidence);
    }
    return { details: { order: cluster.names }, effect: { tookEffect: true, evidence: evidence.join("; ") } };
  },
  async heal() {},
};

async function restartGracefully(cluster: StartedCluster, name: string): Promise<FaultEffect> {
  const member = cluster.member(name);
  const started = Date.now();
  await signalContainer(member.etcd.getId(), "SIGTERM");
  const code = await waitForExit(member.etcd.getId(), exitBudgetMs);
  if (code === undefined) return { tookEffect: false, evidence: `${name} did not exit within ${exitBudgetMs}ms of SIGTERM` };
  await cluster.restartMember(name);
  const rejoined = await rejoin(cluster, name);
  if (!rejoined) return { tookEffect: false, evidence: `${name} exited with ${code} but did not rejoin within ${rejoinBudgetMs}ms` };
  return { tookEffect: true, evidence: `${name} exited with ${code} and rejoined as ${member.id} after ${((Date.now() - started) / 1000).toFixed(1)}s` };
}

/** The member answers again with its old id and follows a leader. */
async function rejoin(cluster: StartedCluster, name: string): Promise<boolean> {
  const member = cluster.member(name);
  const started = Date.now();
  while (Date.now() - started < rejoinBudgetMs) {
    const status = await memberStatus(name, member.admin, 500).catch(() => undefined);
    if (status && status.memberId === member.id && status.leaderId !== "0") return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/**
 * Which targets stop answering within the budget. SIGSTOP reaches every thread of the Go runtime a
 * little after the engine reports it sent, so a call in that moment may still be answered: ask again.
 */
async function silentWithin(cluster: StartedCluster, targets: string[], budgetMs: number): Promise<string[]> {
  const started = Date.now();
  let silent: string[] = [];
  while (Date.now() - started < budgetMs) {
    silent = await unanswered(cluster, targets, 1000);
    if (silent.length === targets.length) return silent;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return silent;
}

/** Which targets fail to answer a status call within `timeoutMs`. */
async function unanswered(cluster: StartedCluster, targets: string[], timeoutMs: number): Promise<string[]> {
  const answers = await Promise.all(
    targets.map(async (name) => [name, await memberStatus(name, cluster.member(name).admin, timeoutMs).then(() => true, () => false)] as const),
  );
  return answers.filter(([, answered]) => !answered).map(([name]) => name);
}
