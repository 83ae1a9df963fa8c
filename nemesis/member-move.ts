// member-move: the write-ups' move of a member to a new machine: stop it, carry its data directory to a new place with a new address, `member update` its peer URL, start it there, point its clients' address at it.
import { memberStatus } from "../harness/cluster/member-status.ts";
import { doneHandle, measured, type Nemesis } from "./nemesis.ts";
import { newNames, stopEtcd } from "./recovery-steps.ts";
import { Runbook } from "./runbook.ts";
import { runClock } from "./snapshot-save.ts";

export const memberMoveNemesis: Nemesis = {
  name: "member-move",
  summary: "move the target to a new machine: stop it, carry its data directory to a new place, member update its peer URL, start it there, point its clients' address at it",
  instant: true,
  unavailableReason: (cluster, targets) => {
    if (targets.length !== 1) return "move one member at a time";
    if (cluster.members.length < 3) return "a move stops a member: it needs a quorum without it (3 members or more)";
    if (cluster.spec.tls || cluster.spec.auth) return "the move rehearsal runs on plain-text clusters without auth";
    if (newNames(cluster).length === 0) return "no unused member name left for the new machine";
    return undefined;
  },
  async inject(context, targets) {
    const { cluster } = context;
    const name = targets[0]!;
    const to = newNames(cluster)[0]!;
    const runbook = new Runbook(runClock(context));
    const member = cluster.member(name);
    const id = member.id;
    const others = cluster.members.filter((other) => other.name !== name);
    await runbook.step(`stop ${name}`, `systemctl stop etcd (on ${name})`, () => stopEtcd(cluster, name));
    const data = await runbook.step(`copy ${name}'s data directory to ${to}`, `scp -r /var/lib/etcd ${to}:/var/lib/etcd`, () => cluster.recovery.dataArchive(name));
    await runbook.step(`retire ${name}'s machine`, `(the old machine of ${name} switched off)`, () => cluster.recovery.destroy(name));
    const peerUrl = cluster.recovery.peerUrlOf(to);
    const update = await runbook.step(`member update ${name}'s peer URL`, `etcdctl member update ${BigInt(id).toString(16)} --peer-urls=${peerUrl}`, async () => {
      const admin = others[0]!.admin;
      const before = (await admin.cluster.memberList({})).members.find((candidate) => String(candidate.ID) === id)?.peerURLs ?? [];
      await admin.cluster.memberUpdate({ ID: id, peerURLs: [peerUrl] });
      return `peer URLs ${before.join(",") || "none"} -> ${peerUrl}`;
    });
    await runbook.step(`start etcd on ${to}`, `etcd --name ${to} --data-dir /var/lib/etcd --initial-advertise-peer-urls ${peerUrl} --initial-cluster-state existing ...`, () =>
      cluster.recovery.start(to, { members: [...others.map((other) => other.name), to], clusterState: "existing", data }),
    );
    const leader = await runbook.step("endpoint status", `etcdctl --endpoints=${cluster.names.join(",")} endpoint status -w table`, () => cluster.waitForLeader(30_000));
    const moved = cluster.member(to);
    const status = await memberStatus(to, moved.admin, 2000);
    await runbook.step(`point ${name}'s clients at ${to}`, `(the clients' address of ${name} now leads to ${to})`, () => cluster.recovery.pointClients(name, to));
    const sameMember = moved.id === id;
    return doneHandle({ member: name, to, id, peerUrls: update, leader, revision: status.revision, steps: runbook.steps }, [
      measured(sameMember, `${to} runs as member ${BigInt(moved.id || "0").toString(16)} (${name} was ${BigInt(id).toString(16)}), following ${leader} at revision ${status.revision}`),
    ]);
  },
};
