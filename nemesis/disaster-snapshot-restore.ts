// disaster-snapshot-restore: every member lost with its data; the latest saved snapshot restored with etcdutl into a new cluster (new names, new cluster token), started, and the clients' addresses pointed at it.
import { maxMembers } from "../harness/cluster/topology.ts";
import type { Recovery } from "../record/recovery.ts";
import { doneHandle, measured, type Nemesis } from "./nemesis.ts";
import { handBackToClients, lastLines, newNames } from "./recovery-steps.ts";
import { Runbook } from "./runbook.ts";
import { latestSnapshot } from "./saved-snapshots.ts";
import { runClock } from "./snapshot-save.ts";

const snapshotPath = "/backup/snapshot.db";
const restoredDataDir = "/var/lib/etcd";

export const disasterSnapshotRestoreNemesis: Nemesis = {
  name: "disaster-snapshot-restore",
  summary: "lose every member with its data; etcdutl snapshot restore of the latest snapshot-save into new members (new names, new cluster), start them, point the clients' addresses at them",
  instant: true,
  needsEtcdutl: true,
  unavailableReason: (cluster, targets) => {
    if (!latestSnapshot(cluster)) return "no snapshot saved yet: schedule snapshot-save before it";
    if (targets.length !== cluster.members.length) return "a disaster takes every member: target all";
    if (cluster.spec.tls || cluster.spec.auth) return "the restore rehearsal runs on plain-text clusters without auth";
    if (newNames(cluster).length < cluster.members.length) return `restoring ${cluster.members.length} new members needs names up to n${maxMembers}`;
    return undefined;
  },
  async inject(context) {
    const { cluster } = context;
    const snapshot = latestSnapshot(cluster)!;
    const now = runClock(context);
    const runbook = new Runbook(now);
    const lost = [...cluster.names];
    const restored = newNames(cluster).slice(0, lost.length);
    const token = `eh-${cluster.clusterId}-restored`;
    const initialCluster = restored.map((name) => `${name}=${cluster.recovery.peerUrlOf(name)}`).join(",");
    const disasterAt = now();
    const recovery: Recovery = {
      runbook: "snapshot-restore",
      disasterAt,
      steps: runbook.steps,
      recoveryPoint: { kind: "snapshot", member: snapshot.member, savedAt: snapshot.savedAt, revision: snapshot.revision },
      destroyed: lost,
      members: restored,
    };
    await runbook.step(`lose ${lost.join(", ")}`, `(the machines of ${lost.join(", ")} lost, with their data directories)`, () => Promise.all(lost.map((name) => cluster.recovery.destroy(name))));
    const data = new Map<string, Buffer>();
    for (const name of restored) {
      const args = ["snapshot", "restore", snapshotPath, "--name", name, "--initial-cluster", initialCluster, "--initial-cluster-token", token, "--initial-advertise-peer-urls", cluster.recovery.peerUrlOf(name), "--data-dir", restoredDataDir];
      const archive = await runbook.step(`snapshot restore for ${name}`, `etcdutl ${args.join(" ")}`, async () => {
        const run = await cluster.recovery.etcdutl(args, { inputs: [{ path: snapshotPath, content: snapshot.content }], outputPath: restoredDataDir });
        if (run.exitCode !== 0 || !run.archive) throw new Error(lastLines(run.output) || `exit ${run.exitCode}`);
        return run.archive;
      });
      data.set(name, archive);
    }
    await runbook.step(`start ${restored.join(", ")}`, `etcd --name <n> --data-dir ${restoredDataDir} --initial-cluster ${initialCluster} --initial-cluster-state new --initial-cluster-token ${token}`, () =>
      Promise.all(restored.map((name) => cluster.recovery.start(name, { members: restored, clusterState: "new", clusterToken: token, data: data.get(name)! }))),
    );
    const { leader, revision } = await handBackToClients(cluster, runbook, recovery, now);
    return doneHandle({ recovery, snapshotRevision: snapshot.revision, leader }, [
      measured(revision === snapshot.revision, `the restored cluster (${restored.join(", ")}, led by ${leader}) is at revision ${revision}; the snapshot from ${snapshot.member} held revision ${snapshot.revision}`),
    ]);
  },
};

