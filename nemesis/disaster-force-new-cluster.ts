// The write-ups' recoveries from one member's data: lose a majority and carry the survivor's data to a new machine, or copy a running member's data directory before losing them all; either way start it with --force-new-cluster, `member update` its peer URL, restart it plainly, and `member add` fresh members one at a time.
import type { Cluster } from "../harness/cluster/backend.ts";
import { memberStatus } from "../harness/cluster/member-status.ts";
import type { Recovery } from "../record/recovery.ts";
import { doneHandle, measured, type FaultContext, type FaultHandle, type Nemesis } from "./nemesis.ts";
import { handBackToClients, newNames, stopEtcd } from "./recovery-steps.ts";
import { Runbook } from "./runbook.ts";
import { runClock } from "./snapshot-save.ts";

export const disasterForceNewClusterNemesis: Nemesis = {
  name: "disaster-force-new-cluster",
  summary: "lose the targets (all but one member) with their data; stop the survivor, carry its data to a new machine, start it with --force-new-cluster, member update its peer URL, restart it plainly, member add fresh members one at a time",
  instant: true,
  unavailableReason: (cluster, targets) => unavailable(cluster, targets.length === cluster.members.length - 1, "target every member but the survivor"),
  async inject(context, targets) {
    const survivor = context.cluster.names.find((name) => !targets.includes(name))!;
    return recoverFromOneMember(context, { runbook: "force-new-cluster", source: survivor, lost: targets });
  },
};

export const disasterCopyDataDirNemesis: Nemesis = {
  name: "disaster-copy-data-dir",
  summary: "copy the target's data directory while it runs, then lose every member; bring the copy up on a new machine with --force-new-cluster, member update its peer URL, restart it plainly, member add fresh members one at a time",
  instant: true,
  unavailableReason: (cluster, targets) => unavailable(cluster, targets.length === 1, "target the one member whose data directory is copied"),
  async inject(context, targets) {
    return recoverFromOneMember(context, { runbook: "copy-data-dir", source: targets[0]!, lost: [...context.cluster.names] });
  },
};

function unavailable(cluster: Cluster, targetsFit: boolean, targetRule: string): string | undefined {
  if (!targetsFit) return targetRule;
  if (cluster.members.length < 2) return "a recovery from one member's data needs a cluster of more than one";
  if (cluster.spec.tls || cluster.spec.auth) return "the recovery rehearsals run on plain-text clusters without auth";
  if (newNames(cluster).length < cluster.members.length) return "the recovered cluster needs as many unused member names as the cluster has members";
  return undefined;
}

interface FromOneMember {
  runbook: "force-new-cluster" | "copy-data-dir";
  /** The member whose data the cluster is recovered from. */
  source: string;
  /** The members lost for good (for copy-data-dir, every member, the source too, after the copy). */
  lost: string[];
}

async function recoverFromOneMember(context: FaultContext, plan: FromOneMember): Promise<FaultHandle> {
  const { cluster } = context;
  const now = runClock(context);
  const runbook = new Runbook(now);
  const size = cluster.members.length;
  const fresh = newNames(cluster).slice(0, size);
  const [first, ...rest] = fresh as [string, ...string[]];
  const source = plan.source;
  let data: Buffer;
  let sourceStatus: { revision: number; raftAppliedIndex: number };
  let disasterAt: number;
  if (plan.runbook === "force-new-cluster") {
    disasterAt = now();
    await runbook.step(`lose ${plan.lost.join(", ")}`, `(the machines of ${plan.lost.join(", ")} lost, with their data directories)`, () => Promise.all(plan.lost.map((name) => cluster.recovery.destroy(name))));
    sourceStatus = await runbook.step(`endpoint status of ${source}`, `etcdctl --endpoints=${source} endpoint status`, () => memberStatus(source, cluster.member(source).admin, 2000));
    await runbook.step(`stop ${source}`, `systemctl stop etcd (on ${source})`, () => stopEtcd(cluster, source));
    data = await runbook.step(`back up ${source}'s data directory`, `tar czf backup.tar.gz /var/lib/etcd (on ${source})`, () => cluster.recovery.dataArchive(source));
    await runbook.step(`retire ${source}`, `(the survivor's machine ${source} retired)`, () => cluster.recovery.destroy(source));
  } else {
    sourceStatus = await runbook.step(`endpoint status of ${source}`, `etcdctl --endpoints=${source} endpoint status`, () => memberStatus(source, cluster.member(source).admin, 2000));
    data = await runbook.step(`copy ${source}'s data directory while it runs`, `cp -a /var/lib/etcd /backup (on ${source}, etcd running)`, () => cluster.recovery.dataArchive(source));
    disasterAt = now();
    await runbook.step(`lose ${plan.lost.join(", ")}`, `(the machines of ${plan.lost.join(", ")} lost, with their data directories)`, () => Promise.all(plan.lost.map((name) => cluster.recovery.destroy(name))));
  }
  const recovery: Recovery = {
    runbook: plan.runbook,
    disasterAt,
    steps: runbook.steps,
    recoveryPoint: { kind: "survivor", member: source, revision: sourceStatus.revision, appliedIndex: sourceStatus.raftAppliedIndex },
    destroyed: plan.runbook === "force-new-cluster" ? [...plan.lost, source] : plan.lost,
    members: fresh,
  };
  const startFlags = `--name ${first} --data-dir /var/lib/etcd --initial-advertise-peer-urls ${cluster.recovery.peerUrlOf(first)}`;
  await runbook.step(`start ${first} on ${source}'s data with --force-new-cluster`, `etcd ${startFlags} --force-new-cluster`, () =>
    cluster.recovery.start(first, { members: [first], clusterState: "new", flags: ["--force-new-cluster"], data }),
  );
  await runbook.step(`${first} leads itself`, `etcdctl --endpoints=${first} endpoint status`, () => cluster.waitForLeader(30_000));
  const member = cluster.member(first);
  const updated = await runbook.step(`member update ${first}'s peer URL`, `etcdctl member update ${BigInt(member.id).toString(16)} --peer-urls=${cluster.recovery.peerUrlOf(first)}`, async () => {
    const before = (await member.admin.cluster.memberList({})).members.find((candidate) => String(candidate.ID) === member.id)?.peerURLs ?? [];
    await member.admin.cluster.memberUpdate({ ID: member.id, peerURLs: [cluster.recovery.peerUrlOf(first)] });
    return `peer URLs ${before.join(",") || "none"} -> ${cluster.recovery.peerUrlOf(first)}`;
  });
  await runbook.step(`restart ${first} without --force-new-cluster`, `systemctl restart etcd (on ${first}, the flag taken out)`, async () => {
    await stopEtcd(cluster, first);
    const own = await cluster.recovery.dataArchive(first);
    await cluster.recovery.destroy(first);
    await cluster.recovery.start(first, { members: [first], clusterState: "new", data: own });
    await cluster.waitForLeader(30_000);
  });
  for (const name of rest) {
    await runbook.step(`member add ${name}`, `etcdctl member add ${name} --peer-urls=${cluster.recovery.peerUrlOf(name)}; etcd --name ${name} --initial-cluster-state existing ...`, async () => {
      const added = await cluster.membership.add({ name });
      if (!added.catchUp.caughtUp) throw new Error(`${name} did not catch up: ${added.catchUp.evidence}`);
      return `${name} caught up to revision ${added.catchUp.revision} in ${(added.catchUp.elapsedMs / 1000).toFixed(1)}s`;
    });
  }
  const { leader, revision } = await handBackToClients(cluster, runbook, recovery, now);
  return doneHandle({ recovery, leader, peerUrls: updated }, [
    measured(revision >= sourceStatus.revision, `the recovered cluster (${fresh.join(", ")}, led by ${leader}) is at revision ${revision}; ${source} was at revision ${sourceStatus.revision} when its data was taken`),
  ]);
}
