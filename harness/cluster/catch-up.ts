// Whether a member that just joined has caught up: it reached the revision the leader had when the wait
// began, and (for voting members) its HashKV at that revision equals the leader's.
import type { Cluster } from "./backend.ts";
import { kvHash, type MemberStatus } from "./member-status.ts";

export interface CatchUp {
  caughtUp: boolean;
  /** The revision the member had to reach: the leader's when the wait began (0 if no leader was found). */
  revision: number;
  /** The leader the member was compared with. */
  leader?: string;
  elapsedMs: number;
  /** One line: what showed the member caught up, or what it lacked when the budget ran out. */
  evidence: string;
}

export interface CatchUpOptions {
  budgetMs: number;
  /**
   * Compare HashKV with the leader's at the target revision. Learners refuse HashKV (etcd serves them
   * Status and serializable reads only), so for them the revision alone decides.
   */
  compareHash: boolean;
}

const pollMs = 100;

export async function waitForCatchUp(cluster: Cluster, name: string, options: CatchUpOptions): Promise<CatchUp> {
  const started = Date.now();
  const elapsed = (): number => Date.now() - started;
  const result = (caughtUp: boolean, revision: number, evidence: string, leader?: string): CatchUp => ({
    caughtUp,
    revision,
    ...(leader ? { leader } : {}),
    elapsedMs: elapsed(),
    evidence,
  });
  const seconds = (): string => `${(elapsed() / 1000).toFixed(1)}s`;

  let target: { leader: string; revision: number } | undefined;
  let last = "no answer yet";
  while (elapsed() < options.budgetMs) {
    if (cluster.stopping) return result(false, target?.revision ?? 0, `cluster ${cluster.clusterId} stopped while ${name} was catching up`, target?.leader);
    const statuses = await cluster.statuses(1000);
    target ??= leaderRevision(statuses, name);
    const own = statuses.get(name);
    if (!target) last = "no other member reported itself leader";
    else if (own === undefined) return result(false, target.revision, `${name} is no longer a member`, target.leader);
    else if (own instanceof Error) last = `${name} did not answer: ${own.message}`;
    else if (own.revision < target.revision || own.leaderId === "0") {
      last = `${name} at revision ${own.revision} of ${target.revision}${own.leaderId === "0" ? ", without a leader" : ""}`;
    } else if (!options.compareHash) {
      return result(true, target.revision, `${name} reached revision ${target.revision} (${target.leader}'s when it joined) in ${seconds()}`, target.leader);
    } else {
      const revision = target.revision;
      const leader = target.leader;
      const hashes = await (async () => Promise.all([kvHash(cluster.member(name).admin, revision, 2000), kvHash(cluster.member(leader).admin, revision, 2000)]))().catch(
        (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
      );
      if (hashes instanceof Error) last = `HashKV at revision ${target.revision} failed: ${hashes.message}`;
      else if (hashes[0].hash !== hashes[1].hash) {
        return result(false, target.revision, `${name}'s HashKV at revision ${target.revision} is ${hashes[0].hash}, ${target.leader}'s is ${hashes[1].hash}`, target.leader);
      } else {
        return result(true, target.revision, `${name} caught up to revision ${target.revision} (${target.leader}'s when it joined; same HashKV ${hashes[0].hash}) in ${seconds()}`, target.leader);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return result(false, target?.revision ?? 0, `${name} did not catch up within ${options.budgetMs}ms: ${last}`, target?.leader);
}

/** The revision of the member (other than `name`) that reports itself leader. */
function leaderRevision(statuses: Map<string, MemberStatus | Error>, name: string): { leader: string; revision: number } | undefined {
  for (const [member, status] of statuses) {
    if (member !== name && !(status instanceof Error) && status.leaderId === status.memberId) return { leader: member, revision: status.revision };
  }
  return undefined;
}
