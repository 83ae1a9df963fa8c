// Membership changes on a running cluster: add (voter or learner), remove, replace, promote, resize.
//
// Every change goes through etcd's own API first (member-admin.ts), then the containers follow:
// - an added member gets its own place (in Docker a pod, created on first use with links both ways to
//   every other place), and an etcd started with --initial-cluster-state=existing and the membership
//   etcd reports after MemberAdd; it joins `cluster.members` once it runs (before it has caught up, so
//   status samples show the catch-up), and the change returns once it caught up;
// - a removed member leaves `cluster.members` as soon as etcd committed its removal; its etcd is
//   stopped and its data removed, and its place stays (address, links, log files), so the name can
//   come back: adding it again starts a new etcd there, with an empty data directory and a new member
//   id. That is what replace does.
// Changes run one at a time per cluster. Places outlive their members until the cluster stops.
import type { Cluster, ClusterMember } from "./backend.ts";
import { waitForCatchUp, type CatchUp } from "./catch-up.ts";
import { addMember, currentMembers, promoteMember, removeMember } from "./member-admin.ts";
import type { MemberInfo } from "./member-status.ts";
import { initialClusterNames, nextFreeName, resizePlan, type ShrinkOrder } from "./membership-plan.ts";
import { peerTls } from "./security.ts";
import { ordinalOf, peerUrl } from "./topology.ts";

/** What a backend lends its membership: places for members, the lifecycle of their etcd, and its member list. */
export interface MembershipInternals<M extends ClusterMember = ClusterMember> {
  /** Names that have a place in the cluster (a pod), members or not. */
  places(): string[];
  /** Makes a place for a new name, linked both ways to every other place. */
  addPlace(name: string): Promise<void>;
  /** Starts etcd in the name's place with --initial-cluster-state=existing and these members. */
  startEtcd(name: string, members: string[]): Promise<M>;
  /** Stops the member's etcd, removes its data and closes its admin client. */
  stopEtcd(member: M): Promise<void>;
  /** The cluster's live member list, which the membership keeps in name order. */
  readonly members: M[];
}

export interface ChangeOptions {
  /** Budget for each of etcd's membership calls to be accepted (strict reconfiguration checks wait 5 s after any reconnection). */
  reconfigBudgetMs?: number;
  /** Budget for a joined member to catch up. */
  catchUpBudgetMs?: number;
  /**
   * An add waits this long between etcd's MemberAdd and starting the new member, as an operator
   * provisioning its machine does; from one member, the cluster has no quorum meanwhile.
   */
  startDelayMs?: number;
}

export interface AddOptions extends ChangeOptions {
  /** n<k>; by default the lowest free name. */
  name?: string;
  /** Join as a raft learner (non-voting) rather than a voting member. */
  learner?: boolean;
}

export interface ResizeOptions extends ChangeOptions {
  /** Which members a shrink removes first; "newest" (the highest names) by default. */
  shrinkOrder?: ShrinkOrder;
}

export interface Added {
  name: string;
  id: string;
  learner: boolean;
  /** etcd's member list right after MemberAdd (the new member not started yet, without a name). */
  members: MemberInfo[];
  catchUp: CatchUp;
  /** From the start of the change to the member having caught up (or the catch-up budget running out). */
  elapsedMs: number;
  /** Epoch milliseconds when etcd had committed the MemberAdd, and when the new member's etcd had started. */
  addedAt: number;
  startedAt: number;
}

export interface Removed {
  name: string;
  id: string;
  /** Whether the member led the cluster when its removal was asked for. */
  wasLeader: boolean;
  elapsedMs: number;
}

export interface Replaced {
  name: string;
  oldId: string;
  newId: string;
  wasLeader: boolean;
  catchUp: CatchUp;
  /** etcd's member list after the change, as the leader (or another voting member) sees it. */
  members: MemberInfo[];
  elapsedMs: number;
}

export interface Promoted {
  name: string;
  id: string;
  /** Time from the first MemberPromote call to etcd accepting one (it refuses while the learner lags). */
  promoteMs: number;
  /** Caught up again as a voting member: same revision and HashKV as the leader. */
  catchUp: CatchUp;
  members: MemberInfo[];
}

export interface Resized {
  from: number;
  to: number;
  added: Added[];
  removed: Removed[];
  /** False when an added member did not catch up, which stops the resize there. */
  complete: boolean;
}

const defaultReconfigBudgetMs = 30_000;
const defaultCatchUpBudgetMs = 30_000;

export class Membership {
  readonly #cluster: Cluster;
  readonly #internals: MembershipInternals;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(cluster: Cluster, internals: MembershipInternals) {
    this.#cluster = cluster;
    this.#internals = internals;
  }

  /** Names whose place stays without a member (removed members), ready to be added again. */
  vacantPlaces(): string[] {
    return this.#internals.places().filter((name) => !this.#cluster.names.includes(name)).sort((a, b) => ordinalOf(a) - ordinalOf(b));
  }

  /** etcd's member list as the leader (or, failing that, another voting member) sees it. */
  members(options: ChangeOptions = {}): Promise<MemberInfo[]> {
    return currentMembers(this.#cluster, { budgetMs: options.reconfigBudgetMs ?? defaultReconfigBudgetMs });
  }

  /** Adds a member (MemberAdd, then its etcd on its pod) and waits until it has caught up. */
  add(options: AddOptions = {}): Promise<Added> {
    return this.#exclusive(() => this.#add(options));
  }

  /** Removes a member (MemberRemove, then its etcd container is stopped and removed; its pod stays). */
  remove(name: string, options: ChangeOptions = {}): Promise<Removed> {
    return this.#exclusive(() => this.#remove(name, options));
  }

  /**
   * Replaces a member: removes it, then adds it back under the same name, on the same pod (address and
   * proxies) with an empty data directory, as a new member with a new id, and waits until it caught up.
   */
  replace(name: string, options: ChangeOptions = {}): Promise<Replaced> {
    return this.#exclusive(async () => {
      const started = Date.now();
      const removed = await this.#remove(name, options);
      const added = await this.#add({ ...options, name });
      const members = await this.members(options);
      return { name, oldId: removed.id, newId: added.id, wasLeader: removed.wasLeader, catchUp: added.catchUp, members, elapsedMs: Date.now() - started };
    });
  }

  /** Promotes a learner to a voting member once etcd finds it in sync, then waits until it matches the leader. */
  promote(name: string, options: ChangeOptions = {}): Promise<Promoted> {
    return this.#exclusive(async () => {
      const member = this.#cluster.member(name);
      if (!member.learner) throw new Error(`${name} is not a learner; only a learner can be promoted`);
      const started = Date.now();
      const members = await promoteMember(this.#cluster, member.id, { budgetMs: options.reconfigBudgetMs ?? defaultReconfigBudgetMs, avoid: name });
      const promoteMs = Date.now() - started;
      delete member.learner;
      const catchUp = await waitForCatchUp(this.#cluster, name, { budgetMs: options.catchUpBudgetMs ?? defaultCatchUpBudgetMs, compareHash: true });
      return { name, id: member.id, promoteMs, catchUp, members };
    });
  }

  /** Grows (adding the lowest free names, one at a time) or shrinks (removing the highest or lowest names first) to `to` members. */
  resize(to: number, options: ResizeOptions = {}): Promise<Resized> {
    return this.#exclusive(async () => {
      const from = this.#cluster.members.length;
      const plan = resizePlan(this.#cluster.names, to, options.shrinkOrder);
      const added: Added[] = [];
      const removed: Removed[] = [];
      for (const name of plan.add) {
        const joined = await this.#add({ ...options, name });
        added.push(joined);
        if (!joined.catchUp.caughtUp) return { from, to, added, removed, complete: false };
      }
      for (const name of plan.remove) removed.push(await this.#remove(name, options));
      return { from, to, added, removed, complete: true };
    });
  }

  async #add(options: AddOptions): Promise<Added> {
    const cluster = this.#cluster;
    const started = Date.now();
    const name = options.name ?? nextFreeName(cluster.names);
    const learner = options.learner ?? false;
    if (cluster.names.includes(name)) throw new Error(`${name} is already a member of cluster ${cluster.clusterId}; remove it first, or replace it`);
    const url = peerUrl(ordinalOf(name), peerTls(cluster.spec));
    if (!this.#internals.places().includes(name)) await this.#internals.addPlace(name);
    const reconfig = { budgetMs: options.reconfigBudgetMs ?? defaultReconfigBudgetMs };
    const { id, members } = await addMember(cluster, url, learner, reconfig);
    const addedAt = Date.now();
    let member: ClusterMember;
    try {
      if (options.startDelayMs) await new Promise((resolve) => setTimeout(resolve, options.startDelayMs));
      member = await this.#internals.startEtcd(name, initialClusterNames(members, name));
    } catch (error) {
      // A member etcd knows but that never starts counts against the quorum: take it out again.
      await removeMember(cluster, id, reconfig).catch(() => undefined);
      throw error;
    }
    const startedAt = Date.now();
    member.id = id;
    if (learner) member.learner = true;
    const list = this.#internals.members;
    list.push(member);
    list.sort((a, b) => ordinalOf(a.name) - ordinalOf(b.name));
    const catchUp = await waitForCatchUp(cluster, name, { budgetMs: options.catchUpBudgetMs ?? defaultCatchUpBudgetMs, compareHash: !learner });
    return { name, id, learner, members, catchUp, elapsedMs: Date.now() - started, addedAt, startedAt };
  }

  async #remove(name: string, options: ChangeOptions): Promise<Removed> {
    const cluster = this.#cluster;
    const member = cluster.member(name);
    if (cluster.members.length === 1) throw new Error(`${name} is the only member of cluster ${cluster.clusterId}; etcd cannot remove its last member`);
    const started = Date.now();
    const status = (await cluster.statuses(1000)).get(name);
    const wasLeader = status !== undefined && !(status instanceof Error) && status.leaderId === status.memberId;
    await removeMember(cluster, member.id, { budgetMs: options.reconfigBudgetMs ?? defaultReconfigBudgetMs, avoid: name });
    const list = this.#internals.members;
    const index = list.indexOf(member);
    if (index >= 0) list.splice(index, 1);
    await this.#internals.stopEtcd(member);
    return { name, id: member.id, wasLeader, elapsedMs: Date.now() - started };
  }

  #exclusive<T>(change: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(change, change);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
