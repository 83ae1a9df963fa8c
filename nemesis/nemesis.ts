// The nemesis interface: a fault family that says whether it runs here, injects itself, heals, and judges its effect.
import type { StartedCluster } from "../harness/cluster/cluster.ts";
import type { HistoryRecorder } from "../harness/history/recorder.ts";
import type { Random } from "../harness/random.ts";
import type { FaultRecord } from "../harness/run/fault-schedule.ts";
import type { StatusSample } from "../harness/run/status-sampler.ts";
import type { ProcessIds } from "../harness/workload/workload.ts";

/**
 * Whom a fault hits, resolved when it starts: a role ("leader", "follower", "random" for one member;
 * "minority", "minority-with-leader", "minority-without-leader", "majority", "all"), or member names
 * separated by commas ("n1" or "n1,n3").
 */
export type TargetSelector = string;

export type FaultParams = Record<string, unknown>;

export interface FaultContext {
  cluster: StartedCluster;
  random: Random;
  /**
   * The run's history, for faults that write to the cluster (quota's fill): the etcd KV model places
   * every revision, so their writes are recorded like client operations, under process ids of their own.
   */
  history?: { recorder: HistoryRecorder; processIds: ProcessIds };
}

export interface FaultEffect {
  tookEffect: boolean;
  /** What showed it, or what was missing, in one line. */
  evidence: string;
}

export interface Injected {
  /** What the fault did (groups, links, new member ids, ...), for the history and results.json. */
  details: Record<string, unknown>;
  /** Judged while injecting (a killed member's port is closed, an alarm is raised); partitions judge later in assess. */
  effect?: FaultEffect;
}

export interface Nemesis {
  readonly name: string;
  /** One line for documentation and listings. */
  readonly summary: string;
  /** An action with no duration (replace a member, compact): heal has nothing to undo. */
  readonly instant?: boolean;
  /** Why this fault cannot run on the cluster with these targets and parameters, or undefined when it can. */
  unavailableReason(cluster: StartedCluster, targets: string[], params: FaultParams): string | undefined;
  inject(context: FaultContext, targets: string[], params: FaultParams): Promise<Injected>;
  /** Checks, while the fault is still in place and just before it is healed, that it bit. */
  verify?(context: FaultContext, targets: string[], params: FaultParams): Promise<FaultEffect>;
  /** Ends whatever this nemesis started. Idempotent; runs at teardown whatever happened. */
  heal(context: FaultContext): Promise<void>;
  /** Judges after the run, from the members' sampled status, whether the fault bit. */
  assess?(fault: FaultRecord, samples: StatusSample[], members: string[]): FaultEffect;
}

export const quorumOf = (members: number): number => Math.floor(members / 2) + 1;

/** The leader a majority of members report, or undefined when no majority agrees. */
export async function majorityLeader(cluster: StartedCluster): Promise<string | undefined> {
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

export async function waitForMajorityLeader(cluster: StartedCluster, budgetMs = leaderBudgetMs): Promise<string | undefined> {
  const started = Date.now();
  for (;;) {
    const leader = await majorityLeader(cluster);
    if (leader || Date.now() - started > budgetMs) return leader;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const roles = new Set(["leader", "follower", "random", "all", "majority", "minority", "minority-with-leader", "minority-without-leader"]);

export function isTargetSelector(selector: string, members?: string[]): boolean {
  if (roles.has(selector)) return true;
  const names = selector.split(",");
  return names.every((name) => /^n\d+$/.test(name) && (members === undefined || members.includes(name)));
}

/** Member names for a selector, chosen when the fault starts. */
export async function resolveTargets(selector: TargetSelector, context: FaultContext): Promise<string[]> {
  const { cluster, random } = context;
  const names = cluster.names;
  if (!roles.has(selector)) {
    const chosen = selector.split(",");
    const strangers = chosen.filter((name) => !names.includes(name));
    if (strangers.length > 0) throw new Error(`fault target ${strangers.join(",")} is not a member (${names.join(", ")})`);
    return chosen;
  }
  if (selector === "all") return [...names];
  if (selector === "random") return [random.pick(names)];
  const minoritySize = quorumOf(names.length) - 1;
  if (selector === "majority") return shuffled(names, random).slice(0, quorumOf(names.length));
  if (selector === "minority") return shuffled(names, random).slice(0, minoritySize);
  const leader = await waitForMajorityLeader(cluster);
  if (!leader) throw new Error(`no leader agreed by a majority within ${leaderBudgetMs}ms to pick a ${selector} from`);
  const followers = shuffled(names.filter((name) => name !== leader), random);
  if (selector === "leader") return [leader];
  if (selector === "follower") return [followers[0]!];
  if (selector === "minority-with-leader") return [leader, ...followers.slice(0, minoritySize - 1)];
  return followers.slice(0, minoritySize);
}

function shuffled<T>(items: readonly T[], random: Random): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = random.below(index + 1);
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}
