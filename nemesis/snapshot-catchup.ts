// blackhole-until-snapshot: cut one member off until the leader has compacted its raft log past the member's last entry, heal, and measure the snapshot it is then sent.
//
// A leader keeps the last "snapshot catch-up entries" of its raft log (5000 in etcd 3.5 unless
// --experimental-snapshot-catchup-entries says otherwise) each time it snapshots (every
// --snapshot-count entries), and after sending a snapshot it compacts nothing for 30 s. A follower
// whose next entry the leader no longer holds cannot be sent entries: it gets a snapshot and restores
// its whole store from it, the path etcd issues 15271 and 20221 broke. The fault holds the cut until
// the leader's log shows it compacted past the member's last index (so the workload must write enough
// meanwhile), heals, and measures the snapshot arriving
// (etcd_network_snapshot_receive_success on the member).
import type { Cluster } from "../harness/cluster/backend.ts";
import { compareReleases } from "../harness/images/etcd-releases.ts";
import { metricSamples } from "../harness/cluster/member-metrics.ts";
import type { AdminPort } from "../harness/clients/admin-http.ts";
import { memberStatus } from "../harness/cluster/member-status.ts";
import { doneHandle, measured, type Measured, type Nemesis } from "./nemesis.ts";
import { rejoin } from "./process.ts";

/** How long the cut may last for the leader to compact past the member, and the snapshot may take after the heal. */
const compactionBudgetMs = 60_000;
const snapshotBudgetMs = 15_000;
const rejoinBudgetMs = 30_000;

export const blackholeUntilSnapshotNemesis: Nemesis = {
  name: "blackhole-until-snapshot",
  summary: "cut one member off until the leader compacted its raft log past the member's last entry, then heal: it must catch up from a snapshot",
  instant: true,
  unavailableReason(cluster, targets) {
    if (cluster.members.length < 3) return "a blackhole needs at least 3 members, so the rest keep a quorum";
    if (targets.length !== 1) return "one target at a time";
    if (!cluster.names.includes(targets[0]!)) return `${targets[0]} is not a member`;
    return undefined;
  },
  async inject({ cluster }, targets) {
    const name = targets[0]!;
    const rest = cluster.names.filter((other) => other !== name);
    const member = cluster.member(name);
    const snapshotsBefore = await snapshotsReceived(member).catch(() => 0);
    const signs: Measured[] = [];
    const started = Date.now();
    await cluster.links.partition([[name], rest]);
    let cutAt = 0;
    let compacted: { leader: string; index: number } | undefined;
    try {
      // The member's own index once the cut is in place (its client port is not cut): entries that reached it while the links were being cut count.
      cutAt = (await memberStatus(name, member.admin, 2000)).raftIndex;
      while (Date.now() - started < compactionBudgetMs && !cluster.stopping) {
        compacted = await leaderCompaction(cluster, rest, started);
        if (compacted && compacted.index > cutAt) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    } finally {
      await cluster.links.healAll();
    }
    const heldS = ((Date.now() - started) / 1000).toFixed(1);
    const past = compacted !== undefined && compacted.index > cutAt;
    signs.push(
      past
        ? measured(true, `${name} was cut off at raft index ${cutAt} for ${heldS}s, until leader ${compacted!.leader} compacted its log to index ${compacted!.index}`)
        : measured(false, `${name} was cut off at raft index ${cutAt} for ${heldS}s, but the leader compacted its log only to ${compacted?.index ?? "nothing"}: too few writes for a snapshot catch-up`),
    );
    const healed = Date.now();
    let snapshots = snapshotsBefore;
    while (past && Date.now() - healed < snapshotBudgetMs) {
      snapshots = await snapshotsReceived(member).catch(() => snapshots);
      if (snapshots > snapshotsBefore) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const rejoined = await rejoin(cluster, name, rejoinBudgetMs);
    const tookS = ((Date.now() - healed) / 1000).toFixed(1);
    if (past) {
      signs.push(
        snapshots > snapshotsBefore
          ? measured(true, `${name} received a snapshot ${tookS}s after the heal${rejoined ? "" : ", but did not rejoin"}`)
          : measured(false, `${name} received no snapshot within ${snapshotBudgetMs / 1000}s of the heal`),
      );
    }
    return doneHandle({ cutAt, ...(compacted ? { leader: compacted.leader, compactedTo: compacted.index } : {}), snapshots: snapshots - snapshotsBefore }, signs);
  },
};

/** How far the current leader among `members` has compacted its raft log since `sinceMs`, read from its log. */
async function leaderCompaction(cluster: Cluster, members: string[], sinceMs: number): Promise<{ leader: string; index: number } | undefined> {
  const status = await memberStatus(members[0]!, cluster.member(members[0]!).admin, 1000).catch(() => undefined);
  const leader = status ? cluster.nameOf(status.leaderId) : undefined;
  if (!leader || !members.includes(leader)) return undefined;
  const output = await cluster.processes.recentOutput(leader, 400, sinceMs).catch(() => "");
  const flags = [...(cluster.spec.etcdFlags ?? []), ...(cluster.spec.memberEtcdFlags?.[leader] ?? [])];
  const index = compactedIndex(output, catchUpEntries(flags), logsCompactions(cluster.versionOf(leader)));
  return index === undefined ? undefined : { leader, index };
}

/**
 * The index a leader has compacted its raft log to, from its log lines. etcd 3.5 logs each compaction
 * ("compacted Raft logs", compact-index): that is the answer, and nothing else is (a snapshot saved
 * while a snapshot in flight holds compaction back, 30 s after each one sent, compacts nothing). 3.6 on
 * logs compactions at debug level only, so there it is a snapshot's index less the catch-up entries
 * kept, for a snapshot saved after the last "skip compaction" line and at least a second before the
 * latest snapshot (so its own skip line, had there been one, would be in the output).
 */
export function compactedIndex(output: string, catchUp: number, logsCompactions: boolean): number | undefined {
  let logged: number | undefined;
  let lastSkipAt = -Infinity;
  const snapshots: { index: number; at: number }[] = [];
  for (const line of output.split("\n")) {
    if (line.includes("compacted Raft logs")) {
      const index = Number(/"compact-index":(\d+)/.exec(line)?.[1]);
      if (Number.isFinite(index)) logged = Math.max(logged ?? 0, index);
    } else if (line.includes("skip compaction since there is an inflight snapshot")) {
      lastSkipAt = timeOf(line);
    } else if (/"msg":"saved snapshot/.test(line)) {
      const index = Number(/"snapshot-index":(\d+)/.exec(line)?.[1]);
      if (Number.isFinite(index)) snapshots.push({ index, at: timeOf(line) });
    }
  }
  if (logsCompactions) return logged;
  const latest = snapshots.at(-1)?.at ?? -Infinity;
  let snapshot: number | undefined;
  for (const { index, at } of snapshots) if (at > lastSkipAt && at <= latest - 1000) snapshot = Math.max(snapshot ?? 0, index);
  return snapshot !== undefined && snapshot > catchUp ? snapshot - catchUp : undefined;
}

/** A log line's time in ms ("ts"), or -Infinity when it has none. */
function timeOf(line: string): number {
  const ts = /"ts":"([^"]+)"/.exec(line)?.[1];
  const ms = ts === undefined ? NaN : Date.parse(ts);
  return Number.isFinite(ms) ? ms : -Infinity;
}

/** Whether a release logs its raft log compactions at info level: 3.5 and older do. */
export function logsCompactions(version: string): boolean {
  return compareReleases(version, "3.6.0-alpha.0") < 0;
}

/** The raft entries a leader keeps for slow followers: its catch-up flag, or etcd's 5000. */
export function catchUpEntries(flags: string[]): number {
  for (const flag of flags) {
    const match = /^--(?:experimental-)?snapshot-catchup-entries=(\d+)$/.exec(flag);
    if (match) return Number(match[1]);
  }
  return 5000;
}

/** Snapshots the member has received and applied from its leader, over its life (etcd_network_snapshot_receive_success). */
async function snapshotsReceived(member: AdminPort): Promise<number> {
  const samples = await metricSamples(member, "etcd_network_snapshot_receive_success");
  return [...samples.values()].reduce((sum, value) => sum + value, 0);
}
