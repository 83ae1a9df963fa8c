// Operator maintenance under load: compaction at the current revision, defragmentation of members one at a time.
//
// Both are instant: nothing to heal. Compaction goes through raft, so every member must report the
// new compact revision; defragmentation rewrites one member's backend file while that member stops
// serving, so members are done one after the other, as etcd's maintenance guide advises.
import { deadline } from "../harness/clients/etcd-client.ts";
import { errorMessage } from "../harness/clients/outcome.ts";
import type { Cluster } from "../harness/cluster/backend.ts";
import { compactRevisionOf, megabytes, storageOf, type Storage } from "../harness/cluster/member-storage.ts";
import { doneHandle, measured, type Measured, type Nemesis } from "./nemesis.ts";

/** Budget for every member to apply a compaction, and for one defragmentation. */
const compactBudgetMs = 10_000;
const defragBudgetMs = 60_000;

export interface Compaction {
  revision: number;
  /** The member the compaction was sent to. */
  via: string;
  ms: number;
  before: Record<string, number>;
  after: Record<string, number>;
  error?: string;
}

/** Compacts the keyspace at the current revision through `via`'s own port and waits for every member to apply it. */
export async function compactAtCurrentRevision(cluster: Cluster, via: string): Promise<Compaction> {
  const admin = cluster.member(via).admin;
  const before = await compactRevisions(cluster);
  const revision = (await storageOf(via, admin)).revision;
  const started = performance.now();
  try {
    // physical: answer once the compaction is applied to the backend, so a defragmentation after it frees the space.
    await admin.kv.compact({ revision, physical: true }, deadline(compactBudgetMs));
  } catch (error) {
    return { revision, via, ms: performance.now() - started, before, after: before, error: errorMessage(error) };
  }
  const ms = performance.now() - started;
  const waited = Date.now();
  let after = await compactRevisions(cluster);
  while (Object.values(after).some((compacted) => compacted < revision) && Date.now() - waited < compactBudgetMs) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    after = await compactRevisions(cluster);
  }
  return { revision, via, ms, before, after };
}

async function compactRevisions(cluster: Cluster): Promise<Record<string, number>> {
  const entries = await Promise.all(cluster.members.map(async (member) => [member.name, await compactRevisionOf(member.admin).catch(() => Number.NaN)] as const));
  return Object.fromEntries(entries);
}

export function judgeCompaction(compaction: Compaction): Measured {
  const { revision, via, ms, before, after, error } = compaction;
  if (error) return measured(false, `compaction at revision ${revision} through ${via} failed: ${error}`);
  const behind = Object.entries(after).filter(([, compacted]) => !(compacted >= revision));
  const moved = Object.entries(after)
    .map(([member, compacted]) => `${member} ${before[member]! > 0 ? before[member] : "none"} -> ${Number.isNaN(compacted) ? "no answer" : compacted}`)
    .join(", ");
  if (behind.length > 0) {
    return measured(false, `compacted at revision ${revision} through ${via}, but within ${compactBudgetMs}ms ${behind.map(([member]) => member).join(",")} did not report it (${moved})`);
  }
  return measured(true, `compacted at revision ${revision} through ${via} in ${Math.round(ms)}ms; compact revision ${moved}`);
}

export interface Defragmentation {
  member: string;
  ms: number;
  before?: Storage;
  after?: Storage;
  error?: string;
}

/** Defragments each member in turn through its own port, noting its backend size before and after. */
export async function defragmentEach(cluster: Cluster, members: string[]): Promise<Defragmentation[]> {
  const results: Defragmentation[] = [];
  for (const name of members) {
    const admin = cluster.member(name).admin;
    const before = await storageOf(name, admin).catch(() => undefined);
    const started = performance.now();
    try {
      await admin.maintenance.defragment(deadline(defragBudgetMs));
      const ms = performance.now() - started;
      const after = await storageOf(name, admin).catch(() => undefined);
      results.push({ member: name, ms, ...(before ? { before } : {}), ...(after ? { after } : {}) });
    } catch (error) {
      results.push({ member: name, ms: performance.now() - started, ...(before ? { before } : {}), error: errorMessage(error) });
    }
  }
  return results;
}

export function judgeDefragmentation(results: Defragmentation[]): Measured {
  const failed = results.filter((result) => result.error !== undefined);
  const phrase = (result: Defragmentation): string => {
    if (result.error) return `${result.member} failed after ${Math.round(result.ms)}ms: ${result.error}`;
    const size = (storage: Storage | undefined) => (storage ? `${megabytes(storage.dbSize)} (${megabytes(storage.dbSizeInUse)} in use)` : "?");
    return `${result.member} in ${Math.round(result.ms)}ms: ${size(result.before)} -> ${size(result.after)}`;
  };
  return measured(
    failed.length === 0 && results.length > 0,
    `${failed.length === 0 ? "defragmented" : `${failed.length} of ${results.length} defragmentations failed;`} ${results.map(phrase).join("; ")}`,
  );
}

export const compactNemesis: Nemesis = {
  name: "compact",
  summary: "compact the keyspace at the current revision through the target (one member); every member must apply it",
  instant: true,
  unavailableReason: (_cluster, targets) => (targets.length !== 1 ? "a compaction goes through one member" : undefined),
  async inject({ cluster }, targets) {
    const compaction = await compactAtCurrentRevision(cluster, targets[0]!);
    return doneHandle({ revision: compaction.revision, via: compaction.via, compactRevisions: compaction.after }, [judgeCompaction(compaction)]);
  },
};

export const defragNemesis: Nemesis = {
  name: "defrag",
  summary: "defragment the targets' backends one member at a time, noting each backend's size before and after",
  instant: true,
  unavailableReason: (_cluster, targets) => (targets.length === 0 ? "no member to defragment" : undefined),
  async inject({ cluster }, targets) {
    const results = await defragmentEach(cluster, targets);
    return doneHandle(
      {
        defragmented: Object.fromEntries(results.map((result) => [result.member, result.error ?? { ms: Math.round(result.ms), dbSizeBefore: result.before?.dbSize, dbSizeAfter: result.after?.dbSize }])),
      },
      [judgeDefragmentation(results)],
    );
  },
};
