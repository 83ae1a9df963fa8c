// Whom a fault hits: a selector (a role, or member names) resolved against the cluster when the fault starts.
import type { Cluster } from "../harness/cluster/backend.ts";
import type { Random } from "../harness/random.ts";
import type { TargetSelector } from "../record/fault.ts";
import { quorumOf } from "./nemesis.ts";

const roles = new Set(["leader", "follower", "random", "all", "majority", "minority", "minority-with-leader", "minority-without-leader"]);
/** Roles whose members depend on who leads when the fault starts. */
const leaderRoles = new Set(["leader", "follower", "minority-with-leader", "minority-without-leader"]);

export function isTargetSelector(selector: string, members?: string[]): boolean {
  if (roles.has(selector)) return true;
  const names = selector.split(",");
  return names.every((name) => /^n\d+$/.test(name) && (members === undefined || members.includes(name)));
}

export interface ResolvedTargets {
  targets: string[];
  /** The leader a majority agreed on, when the selector's members depend on it. */
  leader?: string;
}

/**
 * Member names for a selector, chosen now. `random` is the fault's own stream, so the same seed picks
 * the same members whatever ran before; roles tied to the leader depend on who leads, which is returned.
 */
export async function resolveTargets(selector: TargetSelector, cluster: Cluster, random: Random): Promise<ResolvedTargets> {
  const names = cluster.names;
  if (!roles.has(selector)) return { targets: memberNames(selector.split(","), names) };
  if (selector === "all") return { targets: [...names] };
  if (selector === "random") return { targets: [random.pick(names)] };
  const minoritySize = quorumOf(names.length) - 1;
  if (selector === "majority") return { targets: shuffled(names, random).slice(0, quorumOf(names.length)) };
  if (selector === "minority") return { targets: shuffled(names, random).slice(0, minoritySize) };
  const leader = await waitForMajorityLeader(cluster);
  if (!leader) throw new Error(`no leader agreed by a majority within ${leaderBudgetMs}ms to pick a ${selector} from`);
  const followers = shuffled(names.filter((name) => name !== leader), random);
  const targets =
    selector === "leader"
      ? [leader]
      : selector === "follower"
        ? [followers[0]!]
        : selector === "minority-with-leader"
          ? [leader, ...followers.slice(0, minoritySize - 1)]
          : followers.slice(0, minoritySize);
  return { targets, ...(leaderRoles.has(selector) ? { leader } : {}) };
}

/** Names pinned by a replay (or given by name): every one must be a member now. */
export function memberNames(chosen: string[], names: string[]): string[] {
  const strangers = chosen.filter((name) => !names.includes(name));
  if (strangers.length > 0) throw new Error(`fault target ${strangers.join(",")} is not a member (${names.join(", ")})`);
  return chosen;
}

/** The leader a majority of members report, or undefined when no majority agrees. */
export async function majorityLeader(cluster: Cluster): Promise<string | undefined> {
  const counts = new Map<string, number>();
  for (const status of (await cluster.statuses(1000)).values()) {
    if (status instanceof Error) continue;
    const leader = cluster.nameOf(status.leaderId);
    if (leader) counts.set(leader, (counts.get(leader) ?? 0) + 1);
  }
  return [...counts].find(([, count]) => count >= quorumOf(cluster.members.length))?.[0];
}

/**
 * Right after a heal a cluster may still be electing (etcd 3.4 without pre-vote lets a rejoining
 * member force an election), so a role is resolved once a majority agrees on a leader again.
 */
const leaderBudgetMs = 15_000;

export async function waitForMajorityLeader(cluster: Cluster, budgetMs = leaderBudgetMs): Promise<string | undefined> {
  const started = Date.now();
  for (;;) {
    const leader = await majorityLeader(cluster);
    if (leader || Date.now() - started > budgetMs) return leader;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function shuffled<T>(items: readonly T[], random: Random): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = random.below(index + 1);
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}
