// Names, addresses and ports of the pod topology: one toxiproxy "pod" per member owning its network namespace.
//
// Inside pod i, peer-j resolves to the loopback address 127.0.1.j, where pod i's toxiproxy listens with
// the proxy "n<i>->n<j>" whose upstream is member j's real peer listener (pod j's address, port 2380).
// So every TCP connection member i opens to member j crosses exactly one proxy, pod i's. Client traffic
// from the harness enters through each pod's "client" proxy; the admin port reaches etcd directly.

export const ports = {
  peer: 2380,
  client: 2379,
  clientProxy: 12379,
  toxiproxyApi: 8474,
} as const;

/** Where each member's etcd keeps its data (inside its own container). */
export const dataDir = "/var/lib/etcd";

/** Every pod knows the peer names of this many members, so a cluster can grow without recreating pods. */
export const maxMembers = 9;

export const memberName = (ordinal: number): string => `n${ordinal}`;
export const peerHost = (ordinal: number): string => `peer-${ordinal}`;
/** Member k's peer URL, https when the peer links carry TLS. */
export const peerUrl = (ordinal: number, tls = false): string => `${tls ? "https" : "http"}://${peerHost(ordinal)}:${ports.peer}`;
export const peerLoopback = (ordinal: number): string => `127.0.1.${ordinal}`;

/** Name of the proxy that carries connections opened by member `from` to member `to`. */
export const peerProxyName = (from: string, to: string): string => `${from}->${to}`;
export const clientProxyName = "client";

export function ordinalOf(name: string): number {
  const ordinal = Number(name.replace(/^n/, ""));
  if (!Number.isInteger(ordinal) || ordinal < 1 || ordinal > maxMembers) throw new Error(`not a member name: ${name}`);
  return ordinal;
}

export function peerHostEntries(): Array<{ host: string; ipAddress: string }> {
  return Array.from({ length: maxMembers }, (_, index) => ({ host: peerHost(index + 1), ipAddress: peerLoopback(index + 1) }));
}

export interface ProxySpec {
  name: string;
  listen: string;
  upstream: string;
}

/** The proxy through which the harness's workload clients reach a member. */
export const clientProxy: ProxySpec = {
  name: clientProxyName,
  listen: `0.0.0.0:${ports.clientProxy}`,
  upstream: `127.0.0.1:${ports.client}`,
};

/** The proxies of pod `from` that carry its connections to each other member, given their pods' addresses. */
export function peerProxies(from: string, podIps: Map<string, string>): ProxySpec[] {
  return [...podIps]
    .filter(([to]) => to !== from)
    .map(([to, ip]) => ({
      name: peerProxyName(from, to),
      listen: `${peerLoopback(ordinalOf(to))}:${ports.peer}`,
      upstream: `${ip}:${ports.peer}`,
    }));
}

export interface EtcdFlagsInput {
  name: string;
  podIp: string;
  members: string[];
  clusterState: "new" | "existing";
  clusterToken: string;
  extraFlags: string[];
  /** Which of the member's links carry TLS (tls-flags.ts gives the certificate flags). */
  tls?: { client: boolean; peer: boolean };
}

export function etcdFlags(input: EtcdFlagsInput): string[] {
  const ordinal = ordinalOf(input.name);
  const peerScheme = input.tls?.peer ? "https" : "http";
  const clientScheme = input.tls?.client ? "https" : "http";
  return [
    `--name=${input.name}`,
    `--data-dir=${dataDir}`,
    `--listen-peer-urls=${peerScheme}://${input.podIp}:${ports.peer}`,
    `--initial-advertise-peer-urls=${peerUrl(ordinal, input.tls?.peer)}`,
    `--listen-client-urls=${clientScheme}://0.0.0.0:${ports.client}`,
    `--advertise-client-urls=${clientScheme}://${input.podIp}:${ports.client}`,
    `--initial-cluster=${input.members.map((member) => `${member}=${peerUrl(ordinalOf(member), input.tls?.peer)}`).join(",")}`,
    `--initial-cluster-state=${input.clusterState}`,
    `--initial-cluster-token=${input.clusterToken}`,
    "--logger=zap",
    "--log-outputs=stderr",
    ...input.extraFlags,
  ];
}
