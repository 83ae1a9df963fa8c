// The nemesis interface: a fault family that can say whether it runs here, inject itself, and heal.
import type { StartedCluster } from "../harness/cluster/cluster.ts";
import type { Random } from "../harness/random.ts";

/** Whom a fault hits: a role resolved when the fault starts, or a member's name. */
export type TargetSelector = "leader" | "follower" | "random" | `n${number}`;

export interface FaultContext {
  cluster: StartedCluster;
  random: Random;
}

export interface Nemesis {
  readonly name: string;
  /** Why this fault cannot run on the cluster, or undefined when it can. */
  unavailableReason(cluster: StartedCluster): string | undefined;
  /** Starts the fault on the resolved targets and returns what it did, for the history. */
  inject(context: FaultContext, targets: string[]): Promise<Record<string, unknown>>;
  /** Ends whatever this nemesis started. Idempotent; runs at teardown whatever happened. */
  heal(context: FaultContext): Promise<void>;
}

/** The leader a majority of members report, or undefined when no majority agrees. */
export async function majorityLeader(cluster: StartedCluster): Promise<string | undefined> {
  const counts = new Map<string, number>();
  for (const status of (await cluster.statuses(1000)).values()) {
    if (status instanceof Error) continue;
    const leader = cluster.nameOf(status.leaderId);
    if (leader) counts.set(leader, (counts.get(leader) ?? 0) + 1);
  }
  const quorum = Math.floor(cluster.members.length / 2) + 1;
  return [...counts].find(([, count]) => count >= quorum)?.[0];
}

/**
 * Right after a heal a cluster may still be electing (etcd 3.4 without pre-vote lets a rejoining
 * member force an election), so a role is resolved once a majority agrees on a leader again.
 */
const leaderBudgetMs = 15_000;

async function waitForMajorityLeader(cluster: StartedCluster, budgetMs: number): Promise<string | undefined> {
  const started = Date.now();
  for (;;) {
    const leader = await majorityLeader(cluster);
    if (leader || Date.now() - started > budgetMs) return leader;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Member names for a selector, chosen when the fault starts. */
export async function resolveTargets(selector: TargetSelector, context: FaultContext): Promise<string[]> {
  const names = context.cluster.names;
  if (selector === "random") return [context.random.pick(names)];
  if (selector !== "leader" && selector !== "follower") {
    if (!names.includes(selector)) throw new Error(`fault target ${selector} is not a member (${names.join(", ")})`);
    return [selector];
  }
  const leader = await waitForMajorityLeader(context.cluster, leaderBudgetMs);
  if (!leader) throw new Error(`no leader agreed by a majority within ${leaderBudgetMs}ms to pick a ${selector} from`);
  return selector === "leader" ? [leader] : [context.random.pick(names.filter((name) => name !== leader))];
}
