// Membership faults: replace a member (wiped, back under its name), add, remove, add a learner and promote it, resize.
//
// What heal means here:
// - member-replace and membership-resize are instant: inject makes the whole change and measures it,
//   and its handle has nothing to heal. A replaced member stays replaced, a resized cluster keeps its new size (a
//   scenario that wants the old size back schedules another resize).
// - member-add, member-remove and member-learner last for their duration, and heal undoes them: an added
//   member (a promoted learner too) is removed again; a removed member is added back under its name, on
//   its pod, wiped, as a new member, and heal waits until it caught up (it throws when it does not, which
//   ends the run unknown).
// Faults that add or resize ignore their targets (schedule them on "all"); the names they add or remove
// are in the fault's details. Every one takes params.catchUpBudgetMs (how long a joined member may take
// to catch up, 30 s by default) and params.reconfigBudgetMs (how long etcd may refuse a change for a
// passing reason, 30 s by default), and params.startDelayMs (how long an add waits between MemberAdd and
// starting the new member, 0 by default). member-remove with params.handoff moves leadership off a target
// that leads (etcd's MoveLeader, to a member that stays) before removing it.
import type { Cluster } from "../harness/cluster/backend.ts";
import type { MemberInfo } from "../harness/cluster/member-status.ts";
import type { Added, ChangeOptions, Promoted, Removed, Replaced, Resized } from "../harness/cluster/membership.ts";
import { hexId, nameOfPeerUrl } from "../harness/cluster/membership-plan.ts";
import { moveLeader, type LeaderMove } from "../harness/cluster/leader-transfer.ts";
import { maxMembers } from "../harness/cluster/topology.ts";
import { doneHandle, faultHandle, measured, type FaultParams, type Measured, type Nemesis } from "./nemesis.ts";
import { majorityLeader } from "./targets.ts";

/** Removes a member, wipes it and adds it back under the same name and address as a new member, then waits until it caught up. */
export const replaceNemesis: Nemesis = {
  name: "member-replace",
  summary: "replace the target: remove it, wipe it, add it back (same name, address, proxies) as a new member, wait until it caught up",
  instant: true,
  unavailableReason: (cluster, targets) =>
    targets.length !== 1 ? "replace one member at a time" : cluster.members.length < 2 ? "a single member cannot be removed to be replaced" : undefined,
  async inject({ cluster }, targets, params) {
    const replaced = await cluster.membership.replace(targets[0]!, changeOptions(params));
    return doneHandle(
      {
        member: replaced.name,
        wasLeader: replaced.wasLeader,
        oldId: hexId(replaced.oldId),
        newId: hexId(replaced.newId),
        caughtUpRevision: replaced.catchUp.revision,
        catchUpMs: replaced.catchUp.elapsedMs,
        elapsedMs: replaced.elapsedMs,
      },
      [replaceEffect(replaced)],
    );
  },
};

/** Adds a voting member on a new pod (the lowest free name) for the fault's duration; heal removes it. */
export const addNemesis: Nemesis = {
  name: "member-add",
  summary: "add a voting member (the lowest free name) and wait until it caught up; heal removes it",
  unavailableReason: (cluster) => (cluster.members.length >= maxMembers ? `the cluster already has ${maxMembers} members, the most pods know of` : undefined),
  async inject({ cluster }, _targets, params) {
    const added = await cluster.membership.add(changeOptions(params));
    return faultHandle(addedDetails(added), { verify: async () => [addEffect(added)], heal: () => removeAll(cluster, [added.name]) });
  },
};

/** Removes the targets for the fault's duration; heal adds each back, wiped, as a new member under its name. */
export const removeNemesis: Nemesis = {
  name: "member-remove",
  summary: "remove the targets from the cluster (params.handoff: move leadership off a leading target first); heal adds them back under their names, wiped, as new members",
  unavailableReason: (cluster, targets) =>
    targets.length === 0 || targets.length >= cluster.members.length ? "remove some members, not none or all" : undefined,
  async inject({ cluster }, targets, params) {
    const options = changeOptions(params);
    const removed: Removed[] = [];
    const handoffs: LeaderMove[] = [];
    const leaderBefore = await majorityLeader(cluster);
    const heal = async (): Promise<void> => {
      const problems: string[] = [];
      for (const { name } of removed) {
        if (cluster.names.includes(name)) continue;
        const added = await cluster.membership.add({ ...options, name });
        if (!added.catchUp.caughtUp) problems.push(added.catchUp.evidence);
      }
      if (problems.length > 0) throw new Error(`members added back at heal did not catch up: ${problems.join("; ")}`);
    };
    try {
      for (const name of targets) {
        // The runbook's way to remove a leader: hand leadership to a member that stays, then remove it.
        if (params["handoff"] === true && (await majorityLeader(cluster)) === name) {
          const heir = cluster.names.find((other) => !targets.includes(other));
          if (heir) handoffs.push(await moveLeader(cluster, heir));
        }
        removed.push(await cluster.membership.remove(name, options));
      }
    } catch (error) {
      await heal().catch(() => undefined);
      throw error;
    }
    const members = await cluster.membership.members();
    return faultHandle(
      {
        removed: removed.map((entry) => ({ member: entry.name, id: hexId(entry.id), wasLeader: entry.wasLeader })),
        ...(leaderBefore !== undefined ? { leaderBefore } : {}),
        ...(params["handoff"] === true ? { handoffs } : {}),
      },
      { verify: async () => [removeEffect(removed, members)], heal },
    );
  },
};

/** Adds a learner, waits until it caught up, promotes it; heal removes it. */
export const learnerNemesis: Nemesis = {
  name: "member-learner",
  summary: "add a learner (the lowest free name), wait until it caught up, promote it to a voting member; heal removes it",
  unavailableReason: addNemesis.unavailableReason,
  async inject({ cluster }, _targets, params) {
    const added = await cluster.membership.add({ ...changeOptions(params), learner: true });
    const heal = (): Promise<void> => removeAll(cluster, [added.name]);
    if (!added.catchUp.caughtUp) return faultHandle(addedDetails(added), { verify: async () => [learnerEffect(added, undefined)], heal });
    const promoted = await cluster.membership.promote(added.name, changeOptions(params)).catch(async (error: unknown) => {
      await heal().catch(() => undefined);
      throw error;
    });
    return faultHandle(
      { ...addedDetails(added), promoteMs: promoted.promoteMs, caughtUpAsVoterRevision: promoted.catchUp.revision },
      { verify: async () => [learnerEffect(added, promoted)], heal },
    );
  },
};

/** The size a resize reaches: `params.to`, or the current size plus `params.by` (negative to shrink); a string says what is wrong. */
function resizeTarget(current: number, params: FaultParams): number | string {
  const { to, by } = params;
  if ((to === undefined) === (by === undefined)) return "params.to (the size to reach) or params.by (members to add, negative to remove), one of them";
  const target = to !== undefined ? to : typeof by === "number" ? current + by : Number.NaN;
  if (typeof target !== "number" || !Number.isInteger(target) || target < 1 || target > maxMembers) {
    return to !== undefined ? `params.to is the size to reach, 1 to ${maxMembers}` : `params.by is a whole number taking the ${current} members to 1 to ${maxMembers}`;
  }
  return target;
}

/**
 * Grows or shrinks the cluster to `params.to` members (or by `params.by`), one change at a time. A
 * shrink removes the highest names first, or with `params.remove: "oldest"` the lowest (the original
 * members, the leader often among them, so the clients they served move to the members added).
 */
export const resizeNemesis: Nemesis = {
  name: "membership-resize",
  summary: "grow (adding the lowest free names) or shrink (removing the newest members, or with remove: oldest the first) to params.to members, or by params.by, one at a time",
  instant: true,
  unavailableReason: (cluster, _targets, params) => {
    const to = resizeTarget(cluster.members.length, params);
    if (typeof to === "string") return to;
    if (params["remove"] !== undefined && params["remove"] !== "newest" && params["remove"] !== "oldest") return "params.remove is newest or oldest";
    return to === cluster.members.length ? `the cluster already has ${to} members` : undefined;
  },
  async inject({ cluster }, _targets, params) {
    const injected = Date.now();
    const resized = await cluster.membership.resize(resizeTarget(cluster.members.length, params) as number, { ...changeOptions(params), shrinkOrder: params["remove"] === "oldest" ? "oldest" : "newest" });
    const members = await cluster.membership.members();
    return doneHandle(
      {
        from: resized.from,
        to: resized.to,
        added: resized.added.map((added) => ({ ...addedDetails(added), ...addTimes(added, injected) })),
        removed: resized.removed.map((entry) => ({ member: entry.name, id: hexId(entry.id), wasLeader: entry.wasLeader })),
      },
      [resizeEffect(resized, members)],
    );
  },
};

export const membershipNemeses: Nemesis[] = [replaceNemesis, addNemesis, removeNemesis, learnerNemesis, resizeNemesis];

/** A replace bit when the name came back under a new id, etcd lists that id and not the old one, and it caught up. */
export function replaceEffect(replaced: Replaced): Measured {
  const { name, oldId, newId, catchUp } = replaced;
  const problems: string[] = [];
  if (newId === oldId) problems.push(`${name} kept its member id ${hexId(oldId)}`);
  const listed = replaced.members.filter((member) => member.peerUrls.some((url) => nameOfPeerUrl(url) === name)).map((member) => member.id);
  if (listed.length !== 1 || listed[0] !== newId) problems.push(`etcd lists ${name} as ${listed.map(hexId).join(",") || "no member"}, expected ${hexId(newId)}`);
  if (replaced.members.some((member) => member.id === oldId) && oldId !== newId) problems.push(`etcd still lists the old id ${hexId(oldId)}`);
  if (!catchUp.caughtUp) problems.push(catchUp.evidence);
  if (problems.length > 0) return measured(false, problems.join("; "));
  return measured(true, `${name}${replaced.wasLeader ? " (the leader)" : ""} was replaced: member id ${hexId(oldId)} -> ${hexId(newId)}; ${catchUp.evidence}`);
}

export function addEffect(added: Added): Measured {
  return measured(added.catchUp.caughtUp, `${added.name} joined as member ${hexId(added.id)}; ${added.catchUp.evidence}`);
}

/** A removal bit when etcd no longer lists any removed id. */
export function removeEffect(removed: Removed[], members: MemberInfo[]): Measured {
  const still = removed.filter((entry) => members.some((member) => member.id === entry.id));
  if (still.length > 0) return measured(false, `etcd still lists ${still.map((entry) => `${entry.name} (${hexId(entry.id)})`).join(", ")}`);
  const names = removed.map((entry) => `${entry.name}${entry.wasLeader ? " (the leader)" : ""}`);
  return measured(true, `removed ${names.join(", ")}; etcd lists ${members.length} members without them`);
}

/** A learner fault bit when etcd added it as a learner, it caught up, and once promoted it caught up as a voter. */
export function learnerEffect(added: Added, promoted: Promoted | undefined): Measured {
  const asLearner = added.members.find((member) => member.id === added.id)?.isLearner === true;
  if (!asLearner) return measured(false, `etcd did not list ${added.name} (${hexId(added.id)}) as a learner when it was added`);
  if (!added.catchUp.caughtUp || !promoted) return measured(false, `learner ${added.name}: ${added.catchUp.evidence}`);
  const voter = promoted.members.find((member) => member.id === added.id);
  if (!voter || voter.isLearner) return measured(false, `etcd still lists ${added.name} as a learner after the promotion`);
  if (!promoted.catchUp.caughtUp) return measured(false, `promoted ${added.name}: ${promoted.catchUp.evidence}`);
  return measured(true, `learner ${added.name} (${hexId(added.id)}): ${added.catchUp.evidence}; promoted after ${(promoted.promoteMs / 1000).toFixed(1)}s; as a voter ${promoted.catchUp.evidence}`);
}

/** A resize bit when etcd lists exactly `to` members afterwards and every member added caught up. */
export function resizeEffect(resized: Resized, members: MemberInfo[]): Measured {
  const lagging = resized.added.filter((entry) => !entry.catchUp.caughtUp);
  if (!resized.complete || lagging.length > 0) return measured(false, lagging.map((entry) => entry.catchUp.evidence).join("; ") || "the resize stopped early");
  if (members.length !== resized.to) return measured(false, `etcd lists ${members.length} members, not ${resized.to}`);
  const changes = [
    ...resized.added.map((entry) => `added ${entry.name} (caught up to revision ${entry.catchUp.revision} in ${(entry.catchUp.elapsedMs / 1000).toFixed(1)}s)`),
    ...resized.removed.map((entry) => `removed ${entry.name}${entry.wasLeader ? " (the leader)" : ""}`),
  ];
  return measured(true, `${resized.from} -> ${resized.to} members: ${changes.join(", ")}`);
}

/** Budgets a scenario may set in the fault's params. */
export function changeOptions(params: FaultParams): ChangeOptions {
  const budget = (key: string): number | undefined => (typeof params[key] === "number" && params[key] > 0 ? params[key] : undefined);
  const catchUpBudgetMs = budget("catchUpBudgetMs");
  const reconfigBudgetMs = budget("reconfigBudgetMs");
  const startDelayMs = budget("startDelayMs");
  return { ...(catchUpBudgetMs ? { catchUpBudgetMs } : {}), ...(reconfigBudgetMs ? { reconfigBudgetMs } : {}), ...(startDelayMs ? { startDelayMs } : {}) };
}

/** When, from the fault's injection, etcd committed the MemberAdd and the new member's etcd started (the quorum-window checker reads them). */
function addTimes(added: Added, injected: number): { addedAfterMs: number; startedAfterMs: number } {
  return { addedAfterMs: added.addedAt - injected, startedAfterMs: added.startedAt - injected };
}

function addedDetails(added: Added): Record<string, unknown> {
  return { member: added.name, id: hexId(added.id), learner: added.learner, caughtUpRevision: added.catchUp.revision, catchUpMs: added.catchUp.elapsedMs };
}

async function removeAll(cluster: Cluster, names: string[]): Promise<void> {
  for (const name of names) if (cluster.names.includes(name)) await cluster.membership.remove(name);
}
