// cluster-migrate: the write-ups' migration to new machines, one member at a time: add a new member as a learner, promote it once in sync, move leadership off the old member if it leads, remove the old member; the cluster ends on none of its original machines.
import { moveLeader } from "../harness/cluster/leader-transfer.ts";
import { hexId } from "../harness/cluster/membership-plan.ts";
import { doneHandle, measured, type Nemesis } from "./nemesis.ts";
import { newNames } from "./recovery-steps.ts";
import { Runbook } from "./runbook.ts";
import { runClock } from "./snapshot-save.ts";
import { majorityLeader } from "./targets.ts";

export const clusterMigrateNemesis: Nemesis = {
  name: "cluster-migrate",
  summary: "replace every target by a new member, one at a time: member add --learner, member promote, move-leader off it if it leads, member remove; the cluster ends on new machines",
  instant: true,
  unavailableReason: (cluster, targets) => {
    if (targets.length === 0) return "name the members to migrate (all)";
    if (newNames(cluster).length < targets.length) return `migrating ${targets.length} members needs as many unused names`;
    return undefined;
  },
  async inject(context, targets) {
    const { cluster } = context;
    const runbook = new Runbook(runClock(context));
    const fresh = newNames(cluster).slice(0, targets.length);
    const leader = await majorityLeader(cluster);
    // Followers first, the leader last: one election at most, and that one handed over.
    const order = [...targets].sort((a, b) => Number(a === leader) - Number(b === leader));
    const moves: Array<{ from: string; to: string; promoteMs: number; catchUpMs: number; handoff?: string }> = [];
    for (const [index, old] of order.entries()) {
      const name = fresh[index]!;
      const added = await runbook.step(`member add ${name} as a learner`, `etcdctl member add ${name} --learner --peer-urls=${cluster.recovery.peerUrlOf(name)}; etcd --name ${name} --initial-cluster-state existing ...`, async () => {
        const joined = await cluster.membership.add({ name, learner: true });
        if (!joined.catchUp.caughtUp) throw new Error(`${name} did not catch up: ${joined.catchUp.evidence}`);
        return joined;
      });
      const promoted = await runbook.step(`member promote ${name}`, `etcdctl member promote ${hexId(added.id)}`, () => cluster.membership.promote(name));
      let handoff: string | undefined;
      if ((await majorityLeader(cluster)) === old) {
        const moved = await runbook.step(`move-leader ${old} -> ${name}`, `etcdctl move-leader ${hexId(promoted.id)} --endpoints=${old}`, () => moveLeader(cluster, name));
        handoff = `${moved.from} -> ${moved.to} in ${moved.elapsedMs} ms`;
      }
      const oldId = cluster.member(old).id;
      await runbook.step(`member remove ${old}`, `etcdctl member remove ${hexId(oldId)}`, () => cluster.membership.remove(old));
      moves.push({ from: old, to: name, promoteMs: promoted.promoteMs, catchUpMs: added.catchUp.elapsedMs, ...(handoff ? { handoff } : {}) });
    }
    const remaining = cluster.names.filter((name) => targets.includes(name));
    return doneHandle({ moves, members: [...cluster.names], steps: runbook.steps }, [
      measured(remaining.length === 0, `the cluster runs on ${cluster.names.join(", ")}; ${remaining.length === 0 ? "none" : remaining.join(", ")} of the original members left`),
    ]);
  },
};
