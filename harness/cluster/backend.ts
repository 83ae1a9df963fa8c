// The cluster backend: what the harness asks of whatever runs the members. Docker implements it here
// (docker/docker-cluster.ts); faults, workloads, probes and the runner see only this interface.
import type { Etcd3 } from "etcd3";
import type { ClientTls } from "../clients/etcd-client.ts";
import type { DirectedLink, Link, Placement, PlannedToxic, ToxicSpec } from "./links.ts";
import type { MemberStatus } from "./member-status.ts";
import type { Membership } from "./membership.ts";
import type { AuthSpec, TlsLinks } from "./security.ts";

export interface ClusterSpec {
  size: number;
  etcdVersion: string;
  /** Members that run another release than etcdVersion (a mixed cluster, as during an upgrade). */
  memberVersions?: Record<string, string>;
  /** Folder for member logs (<name>.log for etcd, <name>-proxy.log for its link proxy). */
  logDir?: string;
  /** Members run this image (its etcd at `binary`) instead of etcdVersion's release image; memberVersions still win. */
  etcdImage?: { ref: string; binary?: string };
  /** Extra etcd flags for every member, e.g. --quota-backend-bytes=... */
  etcdFlags?: string[];
  /** Extra etcd flags for one member, over etcdFlags. */
  memberEtcdFlags?: Record<string, string[]>;
  /** Every member runs etcd's corruption checks, with the flags its release has (member-flags.ts); etcdFlags win. */
  corruptionChecks?: boolean;
  /**
   * Every member's data directory is a power-loss file system (harness/images/powerloss), this binary of
   * it on the host: writes not fsynced are lost when the member is killed, as in a power cut.
   */
  powerLossFs?: string;
  /** TLS with client certificates on the members' client links, peer links or both, certificates made for the cluster. */
  tls?: TlsLinks;
  /** Authentication on once the cluster is up (security.ts): root, and a user limited to the workload's key prefix. */
  auth?: AuthSpec;
  /** Folder for the cluster's certificates, keys and passwords while it runs; removed with the cluster. */
  secretsDir?: string;
  /** Budget for every member to report the same leader. */
  startupTimeoutMs?: number;
}

/** Starts clusters; one per engine (Docker here; docs/beyond-one-machine.md sketches Kubernetes). */
export interface ClusterBackend {
  readonly name: string;
  start(spec: ClusterSpec): Promise<Cluster>;
}

export interface ClusterMember {
  readonly name: string;
  /** etcd member id (decimal), known once the cluster is healthy. */
  id: string;
  /** A raft learner (non-voting) until promoted. */
  learner?: boolean;
  /** A client on etcd's own client port, bypassing every link fault: status, HashKV, alarms, membership. */
  readonly admin: Etcd3;
  /** host:port of etcd's own client port, for /metrics and /debug/vars (admin-http.ts). */
  readonly adminEndpoint: string;
  /** The TLS etcd's client port asks for, absent when it speaks plain text. */
  readonly adminTls?: ClientTls | undefined;
  /** A failpoints build's gofail API (failpoints.ts), reached beside every link; absent for other builds. */
  readonly failpoints?: MemberFailpoints;
  /** host:port where the member's power-loss file system tells what it holds unsynced; absent without one. */
  readonly powerLossEndpoint?: string;
}

export interface MemberFailpoints {
  /** host:port of gofail's HTTP API. */
  readonly endpoint: string;
  /** The failpoints the member's binary has, sorted. */
  readonly names: readonly string[];
}

/** The data flowing between members: blackhole directed links (data dropped, connections kept), partitions, heal. */
export interface PeerLinkControl {
  /** Directed links that are blackholed now. */
  cutLinks(): DirectedLink[];
  blackhole(links: DirectedLink[]): Promise<void>;
  /** Lets data flow again on the given directed links; links that are not cut are ignored. */
  restore(links: DirectedLink[]): Promise<void>;
  /** Cuts every link between members of different groups, both directions. */
  partition(groups: string[][]): Promise<void>;
  /** Restores every cut link. Idempotent. */
  healAll(): Promise<void>;
}

/** The links between the harness's clients and each member. */
export interface ClientLinkControl {
  cutMembers(): string[];
  /** Drops every byte between the clients and `member`, both ways, keeping connections open. */
  blackhole(member: string): Promise<void>;
  restore(member: string): Promise<void>;
  healAll(): Promise<void>;
}

/** Named sets of toxics (latency, bandwidth, ...) on peer and client links. */
export interface ToxicControl {
  active(): string[];
  toxicsOf(name: string): PlannedToxic[];
  /** Puts every spec on its link under one name; all or nothing. */
  add(name: string, toxics: Array<{ link: Link; spec: ToxicSpec }>): Promise<PlannedToxic[]>;
  /** Removes the named set; one not in place is no error. */
  remove(name: string): Promise<void>;
  removeAll(): Promise<void>;
}

/** Every link the harness controls, and a way to send probe traffic exactly where member traffic goes. */
export interface ClusterLinks extends PeerLinkControl {
  readonly clients: ClientLinkControl;
  readonly toxics: ToxicControl;
  /**
   * Runs `use` with a host:port whose traffic crosses the stream `placement` names, as member traffic
   * does, and the TLS to speak there when that link carries it (a client certificate the run's CA signed).
   */
  probe<T>(placement: Placement, use: (endpoint: string, tls?: ClientTls) => Promise<T>): Promise<T>;
}

/** The members' etcd processes: signals, exits and restarts on the same data, address and links. */
export interface MemberProcesses {
  signal(member: string, signal: NodeJS.Signals): Promise<void>;
  /** The exit code once the member's etcd has stopped, or undefined when it still runs after the budget. */
  waitForExit(member: string, budgetMs: number): Promise<number | undefined>;
  /** Starts a stopped member's etcd again, on its data directory. */
  restart(member: string): Promise<void>;
  isRunning(member: string): Promise<boolean>;
  /** The last `lines` lines the member's etcd printed (stdout and stderr), since `sinceMs` (epoch) when given: a panic's stack, say. */
  recentOutput(member: string, lines: number, sinceMs?: number): Promise<string>;
}

export interface DataFile {
  /** Path relative to the member's data directory, e.g. member/wal/0000000000000000-0000000000000000.wal. */
  path: string;
  bytes: number;
}

/** The members' data directories as files (what a storage fault corrupts or truncates, while the member is stopped). */
export interface MemberStorage {
  files(member: string): Promise<DataFile[]>;
  /** The content of one file, by its path relative to the data directory. */
  read(member: string, file: string): Promise<Buffer>;
  /** Replaces one file's content, keeping its mode. */
  write(member: string, file: string, content: Buffer): Promise<void>;
}

export interface Cluster extends AsyncDisposable {
  readonly clusterId: string;
  readonly spec: ClusterSpec;
  /** The current members, ordered by name; membership changes keep it up to date. */
  readonly members: readonly ClusterMember[];
  readonly names: string[];
  /** Milliseconds from the start of start-up to the end of each phase. */
  readonly startupMs: Record<string, number>;
  /** True once stop() was called: long waits give up rather than outlive the cluster. */
  readonly stopping: boolean;
  member(name: string): ClusterMember;
  /** A fresh client bound to `name` through its client link, as the workload's user when auth is on; the caller closes it. */
  client(name: string): Etcd3;
  /** A fresh client given every current member's client link, as applications are; the caller closes it. */
  clientOfAll(): Etcd3;
  /** host:port of `name`'s client link (its client proxy), for any other client: what client() connects to. */
  clientEndpoint(name: string): string;
  /** Member name for an etcd member id, or undefined for "0" and unknown ids. */
  nameOf(memberId: string): string | undefined;
  /** The etcd release member `name` runs. */
  versionOf(name: string): string;
  /** Every member's status, or the error that kept it from answering within `timeoutMs`. */
  statuses(timeoutMs?: number): Promise<Map<string, MemberStatus | Error>>;
  /** Waits until every member reports the same leader; returns the leader's name. */
  waitForLeader(budgetMs: number): Promise<string>;
  readonly links: ClusterLinks;
  readonly processes: MemberProcesses;
  readonly storage: MemberStorage;
  /** Add, remove, replace and promote members; resize the cluster. */
  readonly membership: Membership;
  /** Removes every trace of the cluster; safe to call more than once and from any path. */
  stop(): Promise<void>;
}
