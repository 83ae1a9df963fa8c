// Process faults on members' etcd: SIGKILL and restart, graceful restart, pause and resume, rolling restart.
//
// The backend keeps a member's data directory, address and links while its etcd process is down, so a
// restart brings the same member back on the same data.
import type { Cluster } from "../harness/cluster/backend.ts";
import { memberStatus } from "../harness/cluster/member-status.ts";
import type { EffectSign } from "../record/fault.ts";
import { doneHandle, faultHandle, measured, type Nemesis } from "./nemesis.ts";

const exitBudgetMs = 10_000;
const unresponsiveBudgetMs = 5000;
const rejoinBudgetMs = 30_000;

const some = (cluster: Cluster, targets: string[]): string | undefined =>
  targets.length === 0 ? "no targets" : targets.some((name) => !cluster.names.includes(name)) ? "a target is not a member" : undefined;

/** SIGKILL the targets' etcd; heal starts them again on their data. */
export const killNemesis: Nemesis = {
  name: "kill",
  summary: "SIGKILL the targets' etcd; heal restarts them on the same data",
  // Down long enough for the rest to elect a leader (1-2 s with etcd's 1 s election timeout) and serve.
  cycle: { onMs: 3000, offMs: 3000 },
  unavailableReason: some,
  async inject({ cluster }, targets) {
    // The handle heals every target, even when a kill below fails half way.
    const heal = async (): Promise<void> => void (await Promise.all(targets.map((name) => cluster.processes.restart(name))));
    const exits = await Promise.all(
      targets.map(async (name) => {
        await cluster.processes.signal(name, "SIGKILL");
        return [name, await cluster.processes.waitForExit(name, exitBudgetMs)] as const;
      }),
    ).catch(async (error: unknown) => {
      await heal().catch(() => undefined);
      throw error;
    });
    const refused = await unanswered(cluster, targets, 1000);
    const alive = exits.filter(([, code]) => code === undefined).map(([name]) => name);
    const sign: EffectSign =
      alive.length === 0 && refused.length === targets.length
        ? measured(true, `${exits.map(([name, code]) => `${name}'s etcd exited with ${code}`).join(", ")}; their client ports no longer answer`)
        : measured(false, `still running after SIGKILL: ${[...alive, ...targets.filter((name) => !refused.includes(name))].join(",")}`);
    return faultHandle({ signal: "SIGKILL" }, { verify: async () => [sign], heal });
  },
};

/** SIGSTOP the targets' etcd: the process keeps its sockets but does nothing; heal sends SIGCONT. */
export const pauseNemesis: Nemesis = {
  name: "pause",
  summary: "SIGSTOP the targets' etcd (sockets open, nothing answered); heal sends SIGCONT",
  // Short pauses, as Jepsen's: long enough for the rest to elect a leader (1-2 s) and serve, short enough that a run resumes many times.
  cycle: { onMs: 3000, offMs: 3000 },
  unavailableReason: some,
  async inject({ cluster }, targets) {
    const heal = async (): Promise<void> => void (await Promise.all(targets.map((name) => cluster.processes.signal(name, "SIGCONT"))));
    await Promise.all(targets.map((name) => cluster.processes.signal(name, "SIGSTOP"))).catch(async (error: unknown) => {
      await heal().catch(() => undefined);
      throw error;
    });
    const silent = await silentWithin(cluster, targets, unresponsiveBudgetMs);
    const sign =
      silent.length === targets.length
        ? measured(true, `${targets.join(",")} stopped answering status calls`)
        : measured(false, `still answering ${unresponsiveBudgetMs}ms after SIGSTOP: ${targets.filter((name) => !silent.includes(name)).join(",")}`);
    return faultHandle({ signal: "SIGSTOP" }, { verify: async () => [sign], heal });
  },
};

/** SIGTERM the targets' etcd, let it shut down cleanly, and start it again; an instant action. */
export const gracefulRestartNemesis: Nemesis = {
  name: "restart",
  summary: "graceful restart: SIGTERM the targets' etcd, wait for a clean exit, start it again",
  instant: true,
  unavailableReason: some,
  async inject({ cluster }, targets) {
    const signs = await Promise.all(targets.map((name) => restartGracefully(cluster, name)));
    return doneHandle({ signal: "SIGTERM" }, signs);
  },
};

/** Restarts every member gracefully, one at a time, each rejoining before the next goes down. */
export const rollingRestartNemesis: Nemesis = {
  name: "rolling-restart",
  summary: "graceful restart of every member in turn, each rejoining before the next",
  instant: true,
  unavailableReason: (cluster) => (cluster.members.length < 3 ? "a rolling restart keeps a quorum only with at least 3 members" : undefined),
  async inject({ cluster }) {
    const signs: EffectSign[] = [];
    for (const name of cluster.names) {
      const sign = await restartGracefully(cluster, name);
      signs.push(sign);
      if (sign.kind === "measured" && !sign.held) break;
    }
    return doneHandle({ order: cluster.names }, signs);
  },
};

async function restartGracefully(cluster: Cluster, name: string): Promise<EffectSign> {
  const member = cluster.member(name);
  const started = Date.now();
  await cluster.processes.signal(name, "SIGTERM");
  const code = await cluster.processes.waitForExit(name, exitBudgetMs);
  if (code === undefined) return measured(false, `${name} did not exit within ${exitBudgetMs}ms of SIGTERM`);
  await cluster.processes.restart(name);
  const rejoined = await rejoin(cluster, name, rejoinBudgetMs);
  if (!rejoined) return measured(false, `${name} exited with ${code} but did not rejoin within ${rejoinBudgetMs}ms`);
  return measured(true, `${name} exited with ${code} and rejoined as ${member.id} after ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

/** The member answers again with its old id and follows a leader, within the budget. */
export async function rejoin(cluster: Cluster, name: string, budgetMs: number): Promise<boolean> {
  const member = cluster.member(name);
  const started = Date.now();
  while (Date.now() - started < budgetMs) {
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
async function silentWithin(cluster: Cluster, targets: string[], budgetMs: number): Promise<string[]> {
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
async function unanswered(cluster: Cluster, targets: string[], timeoutMs: number): Promise<string[]> {
  const answers = await Promise.all(
    targets.map(async (name) => [name, await memberStatus(name, cluster.member(name).admin, timeoutMs).then(() => true, () => false)] as const),
  );
  return answers.filter(([, answered]) => !answered).map(([name]) => name);
}
