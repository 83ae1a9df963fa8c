// After the final heal: wait for every member to reach the same revision, then compare their HashKV there.
import type { ConvergenceProbe } from "../../record/probes.ts";
import type { Cluster } from "../cluster/backend.ts";
import { kvHash, type MemberStatus } from "../cluster/member-status.ts";

export async function probeConvergence(cluster: Cluster, budgetMs = 30_000): Promise<ConvergenceProbe> {
  const started = Date.now();
  let revisions: Record<string, number | string> = {};
  while (Date.now() - started < budgetMs) {
    const statuses = await cluster.statuses(1000);
    revisions = Object.fromEntries([...statuses].map(([name, status]) => [name, status instanceof Error ? status.message : status.revision]));
    const values = Object.values(revisions);
    if (values.every((value) => typeof value === "number") && new Set(values).size === 1) {
      const revision = values[0] as number;
      return { revisions, revision, hashes: await hashesAt(cluster, revision) };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { revisions, ...(await divergence(cluster)), error: `members did not reach the same revision within ${budgetMs}ms` };
}

/**
 * Evidence for members stuck at different revisions: whether each applied the same raft log (then a
 * lower revision is writes skipped, not lag), and HashKV at the lowest revision they all hold.
 */
async function divergence(cluster: Cluster): Promise<Pick<ConvergenceProbe, "appliedIndexes" | "revision" | "hashes">> {
  const statuses = [...(await cluster.statuses(1000))].filter((entry): entry is [string, MemberStatus] => !(entry[1] instanceof Error));
  if (statuses.length === 0) return {};
  const revision = Math.min(...statuses.map(([, status]) => status.revision));
  return {
    appliedIndexes: Object.fromEntries(statuses.map(([name, status]) => [name, status.raftAppliedIndex])),
    revision,
    hashes: await hashesAt(cluster, revision, (error) => (error instanceof Error ? error.message : String(error))),
  };
}

/** Every member's HashKV at the revision; a member's error throws, or becomes its entry when `onError` says what to record. */
async function hashesAt(cluster: Cluster, revision: number, onError?: (error: unknown) => string): Promise<Record<string, number | string>> {
  const hashes = await Promise.all(
    cluster.members.map(async (member) => {
      try {
        return [member.name, (await kvHash(member.admin, revision, 5000)).hash] as const;
      } catch (error) {
        if (!onError) throw error;
        return [member.name, onError(error)] as const;
      }
    }),
  );
  return Object.fromEntries(hashes);
}
