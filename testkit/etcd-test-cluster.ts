// A running etcd cluster for a test: the endpoints an application connects to, faults as awaitable handles, the leader, the status table, and a recording of the application's history.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Etcd3 } from "etcd3";
import type { Cluster } from "../harness/cluster/backend.ts";
import type { Link, ToxicSpec } from "../harness/cluster/links.ts";
import { etcdClient } from "../harness/clients/etcd-client.ts";
import { RunClock } from "../harness/history/clock.ts";
import { randomStream } from "../harness/random.ts";
import { faultHandle, type FaultHandle } from "../nemesis/nemesis.ts";
import { nemesisNamed } from "../nemesis/registry.ts";
import { majorityLeader, resolveTargets } from "../nemesis/targets.ts";
import type { FaultParams } from "../record/fault.ts";
import { injectFault, type ClusterFault, type FaultPlace } from "./cluster-fault.ts";
import { endpointStatuses, statusTable, type EndpointStatus } from "./endpoint-status.ts";
import { defaultEffectBudgetMs } from "./fault-effect.ts";
import { Recording } from "./recording.ts";

/** Whom a fault hits: a role resolved when it starts (leader, follower, minority, ...), member names, or "n1,n2". */
export type Target = "leader" | "follower" | "random" | "all" | "majority" | "minority" | "minority-with-leader" | "minority-without-leader" | (string & {}) | readonly string[];

export interface RecordingOptions {
  /** The report folder's name, and the scenario name results.json gives it. */
  name?: string;
  /** Parent folder of the report folder (a fresh temporary folder by default). */
  outDir?: string;
}

export class EtcdTestCluster implements AsyncDisposable {
  /** The harness's cluster underneath: links, processes, storage and membership controls for anything the methods here do not cover. */
  readonly cluster: Cluster;
  /** Each recording starts its own clock, so its history and report begin at 0 s; faults keep the clock they began on. */
  #clock = new RunClock();
  readonly #clients = new Set<Etcd3>();
  readonly #faults = new Set<ClusterFault>();
  #recording: Recording | undefined;
  #seed = 0;
  #stopped: Promise<void> | undefined;
  readonly #effectBudgetMs: number;

  constructor(cluster: Cluster, options: { effectBudgetMs?: number } = {}) {
    this.cluster = cluster;
    this.#effectBudgetMs = options.effectBudgetMs ?? defaultEffectBudgetMs;
  }

  /** Member names, n1, n2, ... (membership changes keep this up to date). */
  get members(): string[] {
    return [...this.cluster.names];
  }

  /** host:port of every member's client endpoint, through its client link (so client faults reach your application too). */
  get endpoints(): string[] {
    return this.cluster.names.map((name) => this.cluster.clientEndpoint(name));
  }

  endpointOf(member: string): string {
    return this.cluster.clientEndpoint(member);
  }

  /** An etcd3 client on the given members' client endpoints (every member by default); closed with the cluster. */
  client(members: readonly string[] = this.cluster.names): Etcd3 {
    const client = etcdClient(members.map((name) => this.cluster.clientEndpoint(name)));
    this.#clients.add(client);
    return client;
  }

  /** The leader a majority of members name now, or undefined while none is agreed. */
  leader(): Promise<string | undefined> {
    return majorityLeader(this.cluster);
  }

  /** Waits until every member names the same leader; returns it. */
  waitForLeader(budgetMs = 30_000): Promise<string> {
    return this.cluster.waitForLeader(budgetMs);
  }

  /** Each member's endpoint status (id, version, db size, leader, learner, raft term and indexes, errors), asked on its own port. */
  status(timeoutMs = 1000): Promise<EndpointStatus[]> {
    return endpointStatuses(this.cluster, timeoutMs);
  }

  /** The endpoint status as etcdctl's table, for a test's log. */
  async statusTable(timeoutMs = 1000): Promise<string> {
    return statusTable(await this.status(timeoutMs));
  }

  /**
   * Starts recording the application's history on the harness clock; faults injected from now on are
   * part of it. finish() judges it with the checkers named and writes the report folder.
   */
  record(options: RecordingOptions = {}): Recording {
    if (this.#recording && !this.#recording.finished) throw new Error(`a recording (${this.#recording.name}) is already running on this cluster; finish it first`);
    const name = options.name ?? "application";
    const parent = options.outDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "etcd-harness-"));
    const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    this.#clock = new RunClock();
    this.#recording = new Recording(this.cluster, this.#clock, name, path.join(parent, `${name}-${stamp}`));
    return this.#recording;
  }

  /** Cuts every link between members of different groups, both directions; members not named join the last group. */
  async partition(...groups: Array<readonly string[]>): Promise<ClusterFault> {
    const named = groups.map((group) => [...group]);
    const rest = this.cluster.names.filter((name) => !named.some((group) => group.includes(name)));
    if (rest.length > 0) named.push(rest);
    const strangers = named.flat().filter((name) => !this.cluster.names.includes(name));
    if (strangers.length > 0) throw new Error(`partition: ${strangers.join(",")} ${strangers.length === 1 ? "is not a member" : "are not members"} (${this.cluster.names.join(", ")})`);
    if (named.length < 2) throw new Error("partition: name at least two groups, or one group that leaves some members out");
    const cluster = this.cluster;
    const quorum = Math.floor(cluster.names.length / 2) + 1;
    return this.#inject({
      fault: "partition",
      selector: named.map((group) => group.join(",")).join("|"),
      targets: named.filter((group) => group.length < quorum).flat(),
      params: { groups: named },
      async inject(): Promise<FaultHandle> {
        await cluster.links.partition(named);
        return faultHandle(
          { groups: named, links: cluster.links.cutLinks().length },
          {
            verify: async () => [{ kind: "leader-lost", members: named.filter((group) => group.length < quorum).flat(), majority: named.find((group) => group.length >= quorum) ?? [], required: "every" }],
            heal: () => cluster.links.healAll(),
          },
        );
      },
    });
  }

  /** SIGKILL the target's etcd; the heal starts it again on its data. */
  kill(target: Target): Promise<ClusterFault> {
    return this.fault("kill", target);
  }

  /** SIGSTOP the target's etcd: its sockets stay open and nothing is answered; the heal sends SIGCONT. */
  pause(target: Target): Promise<ClusterFault> {
    return this.fault("pause", target);
  }

  /** Fills the backend through the target until etcd raises NOSPACE (start the cluster with quotaBackendBytes); the heal is etcd's runbook: compact, defragment, disarm. */
  fillQuota(target: Target = "leader"): Promise<ClusterFault> {
    return this.fault("quota", target);
  }

  /** Removes the target, wipes it, adds it back as a new member and waits until it caught up (instant: nothing to heal). */
  replaceMember(target: Target): Promise<ClusterFault> {
    return this.fault("member-replace", target);
  }

  /** Toxics on the targets' links through toxiproxy: latency (ms ± jitter), or any toxiproxy toxic (bandwidth, slicer, reset_peer, ...). */
  slowLinks(target: Target, params: { latencyMs?: number; jitterMs?: number; links?: "peer" | "client" | "both"; direction?: "out" | "in" | "both" } = {}): Promise<ClusterFault> {
    return this.fault("link-latency", target, params);
  }

  /** Any toxic on the named links (e.g. { link: { from: "n1", to: "n2" }, spec: { type: "bandwidth", attributes: { rate: 16 } } }), under one name. */
  async toxics(name: string, toxics: Array<{ link: Link; spec: ToxicSpec }>): Promise<ClusterFault> {
    const cluster = this.cluster;
    return this.#inject({
      fault: "toxics",
      selector: name,
      targets: [],
      params: { name },
      async inject(): Promise<FaultHandle> {
        const planted = await cluster.links.toxics.add(name, toxics);
        // add() puts every toxic in place or none (it throws), so what it returns is in place.
        return faultHandle({ toxics: planted.length }, { verify: async () => [{ kind: "measured", held: planted.length > 0, what: `${planted.length} toxics in place` }], heal: () => cluster.links.toxics.remove(name) });
      },
    });
  }

  /** Any fault family the harness has (`harness faults` lists them), on a target, with its parameters. */
  async fault(name: string, target: Target, params: FaultParams = {}): Promise<ClusterFault> {
    const nemesis = nemesisNamed(name);
    const selector = typeof target === "string" ? target : target.join(",");
    const resolved = await resolveTargets(selector, this.cluster, randomStream(this.#seed++, "testkit", name));
    const unavailable = nemesis.unavailableReason(this.cluster, resolved.targets, params);
    if (unavailable) throw new Error(`${name} on ${resolved.targets.join(",")}: ${unavailable}`);
    return this.#inject({
      fault: name,
      selector,
      targets: resolved.targets,
      ...(resolved.leader !== undefined ? { leader: resolved.leader } : {}),
      params,
      inject: (context) => nemesis.inject(context, resolved.targets, params),
    });
  }

  /** Heals every fault still in place, closes the clients it gave out, finishes nothing that was not finished, and removes every container and network. */
  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      await Promise.allSettled([...this.#faults].map((fault) => fault.heal()));
      await this.#recording?.close();
      await Promise.allSettled([...this.#clients].map((client) => client.close()));
      await this.cluster.stop();
    })();
    return this.#stopped;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  async #inject(injection: Parameters<typeof injectFault>[1]): Promise<ClusterFault> {
    const place: FaultPlace = { cluster: this.cluster, clock: this.#clock, recording: () => this.#recording, effectBudgetMs: this.#effectBudgetMs };
    const fault = await injectFault(place, injection);
    this.#faults.add(fault);
    const heal = fault.heal;
    const tracked: ClusterFault = {
      ...fault,
      heal: async () => {
        await heal();
        this.#faults.delete(tracked);
      },
      [Symbol.asyncDispose]: () => tracked.heal(),
    };
    return tracked;
  }
}
