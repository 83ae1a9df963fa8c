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

/** How a recovered member starts: its cluster, and optionally the data it starts on and flags of its own. */
export interface RecoveryStart {
  /** The names in its --initial-cluster (ignored by etcd when it starts on existing data). */
  members: string[];
  clusterState: "new" | "existing";
  /** Its --initial-cluster-token, when not the cluster's own (a restored cluster is a new cluster). */
  clusterToken?: string;
  /** Flags over the cluster's, for this start only (--force-new-cluster). */
  flags?: string[];
  /** A tar of a data directory (its top folder is the data directory's own name), copied in before etcd starts. */
  data?: Buffer;
}

/**
 * What the operators' disaster runbooks do to members by hand: lose one for good, carry a data directory
 * to another place, start etcd there with flags of the moment, point the clients' address elsewhere.
 */
export interface MemberRecovery {
  /** Stops and removes a member's etcd and its data for good, without telling etcd (a lost machine); it leaves `members`, its place stays. */
  destroy(member: string): Promise<void>;
  /** A tar of the member's data directory (stop its etcd first for a consistent copy). */
  dataArchive(member: string): Promise<Buffer>;
  /** Starts etcd as member `name` in its place (made when new), on the given data and flags; it joins `members`. */
  start(name: string, options: RecoveryStart): Promise<ClusterMember>;
  /** Names of lost members whose client addresses the clients keep (they fail there until the address is pointed elsewhere). */
  keptAddresses(): string[];
  /** Points the client link of `from` at `to`'s etcd: clients given `from`'s address reach `to`, as after a DNS change. */
  pointClients(from: string, to: string): Promise<void>;
  /** Member `name`'s peer URL, as an operator types it in --initial-cluster or `member update`. */
  peerUrlOf(name: string): string;
  /** Runs etcdutl of the cluster's release in a throwaway container: files copied in first, and the tar of `outputPath` after, when asked. */
  etcdutl(args: string[], options?: { inputs?: Array<{ path: string; content: Buffer }>; outputPath?: string }): Promise<ToolRun>;
}

/** What a tool run in a throwaway container printed and left. */
export interface ToolRun {
  exitCode: number;
  /** stdout and stderr. */
  output: string;
  /** The tar of the output path, when one was asked for and it exists. */
  archive?: Buffer;
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
  /** Lose members for good, start members on carried data, point clients elsewhere (disaster runbooks). */
  readonly recovery: MemberRecovery;
  /** Removes every trace of the cluster; safe to call more than once and from any path. */
  stop(): Promise<void>;
}
