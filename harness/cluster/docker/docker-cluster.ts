// The Docker backend: an etcd cluster of pods (docs/faithful-faults.md): start it, ask its members, cut its links, remove every trace of it.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import type { Etcd3 } from "etcd3";
import { GenericContainer, Network, type StartedNetwork, type StartedTestContainer } from "testcontainers";
import { etcdClient, type ClientCredentials, type ClientTls } from "../../clients/etcd-client.ts";
import type { Cluster, ClusterBackend, ClusterMember, ClusterSpec, MemberFailpoints, MemberRecovery, RecoveryStart } from "../backend.ts";
import { ContainerProcesses } from "./container-control.ts";
import { ContainerStorage } from "./container-storage.ts";
import { runEtcdutl } from "./etcdutl.ts";
import { underFolder } from "./tar-buffers.ts";
import { PodLinks } from "./pod-links.ts";
import { configureTestcontainers } from "../../engine/testcontainers-setup.ts";
import { etcdImage } from "../../images/catalog.ts";
import { failpointsLabel, gofailPort } from "../../images/etcd-failpoints.ts";
import { releaseOf } from "../../images/etcd-releases.ts";
import { powerlossFs } from "../../images/powerloss-fs.ts";
import { docker } from "../../engine/docker-engine.ts";
import { onInterrupt } from "../../lifecycle/shutdown.ts";
import { unavailableError } from "../../errors.ts";
import { memberStatus, type MemberStatus } from "../member-status.ts";
import { Membership } from "../membership.ts";
import { appendTo, populatePod, startPod, type StartedPod } from "./pod.ts";
import { corruptionCheckFlags, mergeFlags } from "../member-flags.ts";
import { ClusterSecrets, clientTls, enableAuth, peerTls, workloadUser } from "../security.ts";
import { clientProxy, clientProxyName, dataDir, etcdFlags, memberName, ordinalOf, peerProxies, peerUrl, ports } from "../topology.ts";

export type { ClusterSpec };

/** A member as the Docker backend runs it: its pod, and its etcd container in the pod's network namespace. */
export interface Member extends ClusterMember {
  readonly pod: StartedPod;
  readonly etcd: StartedTestContainer;
}

/** Label on every container of a run, with the cluster id as its value. */
export const runLabel = "etcd-harness.run";

export const dockerBackend: ClusterBackend = { name: "docker", start: (spec) => startCluster(spec) };

export async function startCluster(spec: ClusterSpec): Promise<DockerCluster> {
  configureTestcontainers();
  const clusterId = crypto.randomBytes(4).toString("hex");
  const cluster = new DockerCluster(clusterId, spec);
  try {
    await cluster.start();
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

export class DockerCluster implements Cluster {
  readonly clusterId: string;
  readonly spec: ClusterSpec;
  /** The current members, ordered by name; membership changes (membership.ts) keep it up to date. */
  readonly members: Member[] = [];
  readonly links: PodLinks;
  readonly processes: ContainerProcesses;
  readonly storage: ContainerStorage;
  /** Add, remove, replace and promote members; resize the cluster. */
  readonly membership: Membership;
  /** Lose members for good, start members on carried data, point clients elsewhere. */
  readonly recovery: MemberRecovery;
  /** Milliseconds from the start of start-up to the end of each phase. */
  readonly startupMs: Record<string, number> = {};
  /** Every pod started, including those of removed members (kept so a name can come back, see membership.ts). */
  readonly #pods = new Map<string, StartedPod>();
  /** Every etcd container not yet removed, whichever member it belonged to. */
  readonly #etcdContainers = new Set<StartedTestContainer>();
  /** How many etcd containers each name has had, so a replacement's container gets a name of its own. */
  readonly #generations = new Map<string, number>();
  readonly #starting = new Set<Promise<unknown>>();
  /** The failpoints each failpoints image lists, read once per image. */
  readonly #failpointNames = new Map<string, Promise<string[]>>();
  #network: StartedNetwork | undefined;
  #placeQueue: Promise<void> = Promise.resolve();
  /** Members lost for good (recovery.destroy) whose client addresses the clients keep. */
  readonly #lost = new Set<string>();
  /** Certificates, keys and passwords; made at start (so only nothing-secure until then). */
  #secrets: ClusterSecrets | undefined;
  /** Auth is on: admin clients authenticate as root, workload clients as the workload's user. */
  #authEnabled = false;
  #stopping: Promise<void> | undefined;
  #unregister: () => void = () => {};

  constructor(clusterId: string, spec: ClusterSpec) {
    this.clusterId = clusterId;
    this.spec = spec;
    this.links = new PodLinks(this.#pods, (link) => ((link === "client" ? clientTls(spec) : peerTls(spec)) ? this.#secrets?.clientTlsOf("probe") : undefined));
    const logFile = (name: string): string | undefined => (spec.logDir ? path.join(spec.logDir, `${name}.log`) : undefined);
    this.processes = new ContainerProcesses((name) => this.member(name).etcd.getId(), logFile);
    this.storage = new ContainerStorage((name) => this.member(name).etcd.getId(), dataDir);
    const members = this.members;
    this.membership = new Membership(this, {
      places: () => [...this.#pods.keys()],
      addPlace: async (name) => void (await this.#addPod(name)),
      startEtcd: (name, names) => this.#startEtcd(name, names, "existing"),
      stopEtcd: (member) => this.#stopEtcd(member as Member),
      members: members as ClusterMember[],
    });
    this.recovery = {
      destroy: (name) => this.#destroy(name),
      dataArchive: (name) => this.#dataArchive(name),
      start: (name, options) => this.#startRecovered(name, options),
      pointClients: (from, to) => this.#pointClients(from, to),
      keptAddresses: () => [...this.#lost],
      peerUrlOf: (name) => peerUrl(ordinalOf(name), peerTls(this.spec)),
      etcdutl: (args, options = {}) => runEtcdutl({ version: this.spec.etcdVersion, args, ...options, labels: { [runLabel]: this.clusterId, "etcd-harness.role": "tool" } }),
    };
  }

  get names(): string[] {
    return this.members.map((member) => member.name);
  }

  member(name: string): Member {
    const member = this.members.find((candidate) => candidate.name === name);
    if (!member) throw new Error(`no member ${name} in cluster ${this.clusterId}`);
    return member;
  }

  /** The etcd release member `name` runs. */
  versionOf(name: string): string {
    return this.spec.memberVersions?.[name] ?? this.spec.etcdVersion;
  }

  /** The image member `name` runs: its own release's, else the cluster's image, else the cluster's release's. */
  imageOf(name: string): { ref: string; binary?: string } {
    const own = this.spec.memberVersions?.[name];
    if (own === undefined && this.spec.etcdImage) return this.spec.etcdImage;
    return { ref: etcdImage(own ?? this.spec.etcdVersion) };
  }

  /**
   * A fresh client bound to `name` through its client proxy; the caller closes it. A removed member's pod
   * keeps its client proxy, so a client bound to it gets refused connections, as one configured with a
   * removed member's address would.
   */
  client(name: string): Etcd3 {
    return etcdClient(this.clientEndpoint(name), this.#workloadClientOptions());
  }

  clientOfAll(): Etcd3 {
    return etcdClient(
      this.names.map((name) => this.clientEndpoint(name)),
      this.#workloadClientOptions(),
    );
  }

  #workloadClientOptions(): { tls?: ClientTls | undefined; auth?: ClientCredentials | undefined } {
    return { tls: this.#secrets?.clientTlsOf(workloadUser), auth: this.#authEnabled ? this.#secrets?.credentialsOf(workloadUser) : undefined };
  }

  /** A client on a member's own client port, as root once auth is on (authenticating through the other members when this one is a learner). */
  #adminClient(endpoint: string): Etcd3 {
    return etcdClient(endpoint, {
      tls: this.#secrets?.clientTlsOf("root"),
      auth: this.#authEnabled ? this.#secrets?.credentialsOf("root") : undefined,
      resendOnInvalidToken: true,
      authEndpoints: this.members.map((member) => member.adminEndpoint).filter((other) => other !== endpoint),
    });
  }

  clientEndpoint(name: string): string {
    const pod = this.#pods.get(name);
    if (!pod) throw new Error(`no member ${name} in cluster ${this.clusterId}`);
    return pod.clientProxyEndpoint;
  }

  /** Member name for an etcd member id, or undefined for "0" and unknown ids. */
  nameOf(memberId: string): string | undefined {
    return this.members.find((member) => member.id === memberId)?.name;
  }

  /** @internal Called once by startCluster. */
  async start(): Promise<void> {
    this.#unregister = onInterrupt(() => this.stop());
    const names = Array.from({ length: this.spec.size }, (_, index) => memberName(index + 1));
    if (this.spec.logDir) fs.mkdirSync(this.spec.logDir, { recursive: true });
    const started = Date.now();
    const lap = (phase: string): void => void (this.startupMs[phase] = Date.now() - started);
    this.#secrets = await ClusterSecrets.create({ tls: this.spec.tls, auth: this.spec.auth, dir: this.spec.secretsDir, clusterId: this.clusterId });
    this.#network = await new Network({ nextUuid: () => `eh-${this.clusterId}` }).start();
    lap("network");
    await Promise.all(names.map((name) => this.#startPod(name)));
    await Promise.all([...this.#pods.values()].map((pod) => populatePod(pod, [clientProxy])));
    lap("pods");
    await Promise.all(names.map(async (name) => this.members.push(await this.#startEtcd(name, names, "new"))));
    this.members.sort((a, b) => ordinalOf(a.name) - ordinalOf(b.name));
    lap("etcd");
    // Peer proxies come last: a new member first asks its peers whether it was already bootstrapped,
    // and a peer whose listener is bound but not yet serving makes that question wait a full second
    // per peer. With no proxy yet the question fails at once, as it should for a new cluster.
    const podIps = new Map([...this.#pods].map(([name, pod]) => [name, pod.ip]));
    await Promise.all([...this.#pods.values()].map((pod) => populatePod(pod, peerProxies(pod.name, podIps))));
    lap("peer proxies");
    try {
      await this.waitForLeader(this.spec.startupTimeoutMs ?? 30_000);
    } catch (error) {
      throw (await this.#certificateProblem()) ?? error;
    }
    lap("leader");
    if (this.spec.auth) {
      await this.#enableAuth(this.spec.auth.prefix);
      lap("auth");
    }
  }

  /** With TLS on, what the members said about certificates when they did not become healthy: one line naming each, exit 69. */
  async #certificateProblem(): Promise<Error | undefined> {
    if (!this.spec.tls) return undefined;
    const said = await Promise.all(
      this.members.map(async (member) => {
        const output = await this.processes.recentOutput(member.name, 200).catch(() => "");
        const line = output.split("\n").find((candidate) => /x509|certificate|tls:|private key/i.test(candidate));
        return line ? `${member.name}: ${certificateComplaint(line)}` : undefined;
      }),
    );
    const problems = said.filter((line): line is string => line !== undefined);
    if (problems.length === 0) return undefined;
    return unavailableError(`TLS: members did not become healthy; ${problems.join("; ")} (check the certificates or the --etcd-flag TLS settings)`);
  }

  /** Creates the users and turns auth on, then gives every member an admin client that authenticates as root. */
  async #enableAuth(prefix: string): Promise<void> {
    const leader = this.member(await this.waitForLeader(this.spec.startupTimeoutMs ?? 30_000));
    try {
      await enableAuth(leader.admin, this.#secrets!, prefix);
    } catch (error) {
      throw new Error(`turning auth on through ${leader.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.#authEnabled = true;
    for (const member of this.members) {
      member.admin.close();
      (member as { admin: Etcd3 }).admin = this.#adminClient(member.adminEndpoint);
    }
  }

  /** Starts a pod; teardown waits for it (see #tracked). */
  #startPod(name: string): Promise<StartedPod> {
    return this.#tracked(() => this.#createPod(name));
  }

  async #createPod(name: string): Promise<StartedPod> {
    const pod = await startPod({
      name,
      network: this.#network!,
      containerName: `eh-${this.clusterId}-${name}`,
      labels: { [runLabel]: this.clusterId, "etcd-harness.member": name, "etcd-harness.role": "pod" },
      ...(this.spec.logDir ? { logFile: path.join(this.spec.logDir, `${name}-proxy.log`) } : {}),
    });
    this.#pods.set(name, pod);
    if (this.#stopping) {
      // Teardown began while this pod was starting and may not have seen it.
      await pod.container.stop({ timeout: 0, remove: true }).catch(() => undefined);
      this.#pods.delete(name);
      throw new Error(`cluster ${this.clusterId} is stopping; pod ${name} removed`);
    }
    return pod;
  }

  /** A pod for a member joining a running cluster: client proxy, and peer proxies both ways to every other pod. */
  async #addPod(name: string): Promise<StartedPod> {
    const others = [...this.#pods.values()];
    const pod = await this.#startPod(name);
    await populatePod(pod, [clientProxy, ...peerProxies(name, new Map(others.map((other) => [other.name, other.ip])))]);
    await Promise.all(others.map((other) => populatePod(other, peerProxies(other.name, new Map([[name, pod.ip]])))));
    return pod;
  }

  /** Starts a member's etcd container; teardown waits for it (see #tracked). */
  #startEtcd(name: string, members: string[], clusterState: "new" | "existing", recovered?: Pick<RecoveryStart, "clusterToken" | "flags" | "data">): Promise<Member> {
    return this.#tracked(() => this.#createEtcd(name, members, clusterState, recovered));
  }

  async #createEtcd(name: string, members: string[], clusterState: "new" | "existing", recovered?: Pick<RecoveryStart, "clusterToken" | "flags" | "data">): Promise<Member> {
    const pod = this.#pods.get(name)!;
    const secrets = this.#secrets!;
    const flags = etcdFlags({
      name,
      podIp: pod.ip,
      members,
      clusterState,
      clusterToken: recovered?.clusterToken ?? `eh-${this.clusterId}`,
      tls: { client: clientTls(this.spec), peer: peerTls(this.spec) },
      extraFlags: mergeFlags(
        mergeFlags(
          mergeFlags(mergeFlags(secrets.memberFlags(), this.spec.corruptionChecks ? corruptionCheckFlags(this.versionOf(name)) : []), this.spec.etcdFlags ?? []),
          this.spec.memberEtcdFlags?.[name] ?? [],
        ),
        recovered?.flags ?? [],
      ),
    });
    const generation = (this.#generations.get(name) ?? 0) + 1;
    this.#generations.set(name, generation);
    const image = this.imageOf(name);
    let builder = new MemberContainer(image.ref)
      .withName(`eh-${this.clusterId}-${name}-etcd${generation > 1 ? `-${generation}` : ""}`)
      .withNetworkMode(`container:${pod.container.getId()}`)
      .withCommand(flags)
      .withLabels({ [runLabel]: this.clusterId, "etcd-harness.member": name, "etcd-harness.role": "etcd" });
    // A user's image may start etcd through a script, or run as a user that cannot write the data folder.
    if (image.binary) builder = builder.withEntrypoint([image.binary]).withUser("0");
    const secretFiles = await secrets.memberFiles(name, pod.ip);
    if (recovered?.data) builder = builder.withCopyArchivesToContainer([{ tar: Readable.from([await underFolder(recovered.data, `${path.posix.dirname(dataDir).slice(1)}/`)]), target: "/" }]);
    if (secretFiles.length > 0) builder = builder.withCopyContentToContainer(secretFiles.map((file) => ({ content: file.content, target: file.target, mode: 0o644 })));
    const failpoints = releaseOf(this.versionOf(name)).failpoints && !image.binary ? await this.#failpointsOf(image.ref, pod) : undefined;
    if (failpoints) builder = builder.withEnvironment({ GOFAIL_HTTP: `0.0.0.0:${gofailPort}` });
    if (this.spec.powerLossFs) {
      // The file system runs etcd as its child, on a FUSE mount of the data directory: it needs the FUSE device and the right to mount.
      builder = builder
        .withCopyFilesToContainer([{ source: this.spec.powerLossFs, target: powerlossFs.binary, mode: 0o755 }])
        .withEntrypoint([powerlossFs.binary, powerlossFs.backingDir, dataDir, `0.0.0.0:${powerlossFs.controlPort}`, "--", image.binary ?? "/usr/local/bin/etcd"])
        .withAddedCapabilities("SYS_ADMIN")
        .withFuseDevice()
        .withUser("0");
    }
    if (this.spec.logDir) builder = builder.withLogConsumer(appendTo(path.join(this.spec.logDir, `${name}.log`)));
    const etcd = await builder.start();
    this.#etcdContainers.add(etcd);
    if (this.#stopping) {
      await this.#removeContainer(etcd).catch(() => undefined);
      throw new Error(`cluster ${this.clusterId} is stopping; etcd of ${name} removed`);
    }
    return {
      name,
      pod,
      etcd,
      admin: this.#adminClient(pod.adminEndpoint),
      adminEndpoint: pod.adminEndpoint,
      adminTls: secrets.clientTlsOf("root"),
      id: "",
      ...(failpoints ? { failpoints } : {}),
      ...(this.spec.powerLossFs ? { powerLossEndpoint: pod.powerLossEndpoint } : {}),
    };
  }

  /** A failpoints image's failpoints (its label), served on the pod's gofail port. */
  async #failpointsOf(ref: string, pod: StartedPod): Promise<MemberFailpoints> {
    let names = this.#failpointNames.get(ref);
    if (!names) {
      names = docker()
        .getImage(ref)
        .inspect()
        .then((info) => (info.Config?.Labels?.[failpointsLabel] ?? "").split(",").filter(Boolean));
      this.#failpointNames.set(ref, names);
    }
    return { endpoint: pod.failpointEndpoint, names: await names };
  }

  /**
   * A container start under way (a membership change may start one at any time). Teardown waits for
   * them: each registers its container, or removes it itself when teardown began meanwhile, so the
   * network is never removed while a container still joins it.
   */
  #tracked<T>(begin: () => Promise<T>): Promise<T> {
    if (this.#stopping) return Promise.reject(new Error(`cluster ${this.clusterId} is stopping; no container is started any more`));
    const start = begin();
    this.#starting.add(start);
    start.then(
      () => this.#starting.delete(start),
      () => this.#starting.delete(start),
    );
    return start;
  }

  /** Stops and removes a member's etcd container (not its pod); the member must have left `members`. */
  async #stopEtcd(member: Member): Promise<void> {
    member.admin.close();
    await this.#removeContainer(member.etcd);
  }

  async #removeContainer(container: StartedTestContainer): Promise<void> {
    await container.stop({ timeout: 0, remove: true });
    this.#etcdContainers.delete(container);
  }

  /** A lost machine: the member leaves `members`, its etcd and data are removed; etcd is not told. */
  async #destroy(name: string): Promise<void> {
    const member = this.member(name);
    this.members.splice(this.members.indexOf(member), 1);
    this.#lost.add(name);
    await this.#stopEtcd(member);
  }

  /** The member's data directory as the engine's archive gives it: one top folder, the data directory's own name. */
  async #dataArchive(name: string): Promise<Buffer> {
    const archive = await docker().getContainer(this.member(name).etcd.getId()).getArchive({ path: dataDir });
    const chunks: Buffer[] = [];
    for await (const chunk of archive) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async #startRecovered(name: string, options: RecoveryStart): Promise<Member> {
    if (this.names.includes(name)) throw new Error(`${name} is already a member of cluster ${this.clusterId}`);
    await this.#placeFor(name);
    this.#lost.delete(name);
    const member = await this.#startEtcd(name, options.members, options.clusterState, options);
    this.members.push(member);
    this.members.sort((a, b) => ordinalOf(a.name) - ordinalOf(b.name));
    return member;
  }

  /** A place for `name`, made one at a time: a new pod links itself to the pods there are, so two made at once would miss each other. */
  #placeFor(name: string): Promise<void> {
    const made = this.#placeQueue.then(async () => {
      if (!this.#pods.has(name)) await this.#addPod(name);
    });
    this.#placeQueue = made.catch(() => undefined);
    return made;
  }

  /** Re-points `from`'s client proxy at `to`'s etcd; toxiproxy closes the connections it held, so clients reconnect there. */
  async #pointClients(from: string, to: string): Promise<void> {
    const proxy = this.#pods.get(from)?.proxies.get(clientProxyName);
    const target = this.#pods.get(to);
    if (!proxy || !target) throw new Error(`no client link ${from} or member ${to} in cluster ${this.clusterId}`);
    const upstream = from === to ? clientProxy.upstream : `${target.ip}:${ports.client}`;
    const updated = await proxy.update({ enabled: true, listen: proxy.listen, upstream });
    this.#pods.get(from)!.proxies.set(clientProxyName, updated);
  }

  /** Every member's status, or the error that kept it from answering within `timeoutMs`. */
  async statuses(timeoutMs = 1000): Promise<Map<string, MemberStatus | Error>> {
    const answers = await Promise.all(
      this.members.map(async (member) => {
        try {
          return [member.name, await memberStatus(member.name, member.admin, timeoutMs)] as const;
        } catch (error) {
          return [member.name, error instanceof Error ? error : new Error(String(error))] as const;
        }
      }),
    );
    return new Map<string, MemberStatus | Error>(answers);
  }

  /** Waits until every member reports the same leader; returns the leader's name. */
  async waitForLeader(budgetMs: number): Promise<string> {
    const started = Date.now();
    let last = new Map<string, MemberStatus | Error>();
    while (Date.now() - started < budgetMs) {
      last = await this.statuses(500);
      const statuses = [...last.values()].filter((status): status is MemberStatus => !(status instanceof Error));
      for (const status of statuses) {
        // A member may have left (membership.ts) while the statuses were asked.
        const member = this.members.find((candidate) => candidate.name === status.name);
        if (member) member.id = status.memberId;
      }
      const leaders = new Set(statuses.map((status) => status.leaderId));
      const [leaderId] = leaders;
      if (statuses.length === this.members.length && leaders.size === 1 && leaderId !== "0") {
        const leader = this.nameOf(leaderId!);
        if (leader) return leader;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const seen = [...last].map(([name, status]) =>
      status instanceof Error ? `${name}: ${status.message}` : `${name}: leader ${this.nameOf(status.leaderId) ?? "none"}`,
    );
    throw new Error(`members did not agree on a leader within ${budgetMs}ms (${seen.join("; ")})`);
  }

  /** True once stop() was called: long waits (membership changes) give up rather than outlive the cluster. */
  get stopping(): boolean {
    return this.#stopping !== undefined;
  }

  /** Removes every container and the network; safe to call more than once and from any path. */
  stop(): Promise<void> {
    this.#stopping ??= this.#teardown();
    return this.#stopping;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  async #teardown(): Promise<void> {
    await Promise.allSettled([...this.#starting]);
    for (const member of this.members) member.admin.close();
    await Promise.allSettled([...this.#etcdContainers].map((container) => this.#removeContainer(container)));
    await Promise.allSettled([...this.#pods.values()].map((pod) => pod.container.stop({ timeout: 0, remove: true })));
    await this.#network?.stop().catch(() => undefined);
    this.#secrets?.remove();
    this.#unregister();
  }
}

/** The error text of an etcd log line (zap JSON or plain), shortened. */
function certificateComplaint(line: string): string {
  try {
    const entry = JSON.parse(line.slice(line.indexOf("{"))) as { msg?: string; error?: string };
    return [entry.msg, entry.error].filter(Boolean).join(": ").slice(0, 300);
  } catch {
    return line.trim().slice(0, 300);
  }
}

/** A member's etcd container; a power-loss member also gets the FUSE device, which testcontainers has no option for. */
class MemberContainer extends GenericContainer {
  withFuseDevice(): this {
    this.hostConfig.Devices = [...(this.hostConfig.Devices ?? []), { PathOnHost: "/dev/fuse", PathInContainer: "/dev/fuse", CgroupPermissions: "rwm" }];
    return this;
  }
}
