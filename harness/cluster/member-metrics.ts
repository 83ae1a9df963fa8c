// etcd's Prometheus metrics of one member, read from its client port, for evidence about peer traffic.
import { adminGet, type AdminPort } from "../clients/admin-http.ts";

/** Samples of one metric family from a member's /metrics, keyed by their label text. */
export async function metricSamples(member: AdminPort, family: string, timeoutMs = 2000): Promise<Map<string, number>> {
  return parseSamples(await adminGet(member, "/metrics", timeoutMs), family);
}

export function parseSamples(text: string, family: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line.startsWith(family)) continue;
    const match = /^(\w+)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (match?.[1] === family) samples.set(match[2] ?? "", Number(match[3]));
  }
  return samples;
}

/** Bytes this member has sent to, or received from, the member with id `peerId` over raft. */
export async function peerBytes(member: AdminPort, direction: "sent" | "received", peerId: string): Promise<number> {
  const samples = await metricSamples(member, `etcd_network_peer_${direction}_bytes_total`);
  const label = `${direction === "sent" ? "To" : "From"}="${BigInt(peerId).toString(16)}"`;
  for (const [labels, value] of samples) if (labels.includes(label)) return value;
  return 0;
}

/** Bytes this member has received over raft from the member with id `fromId`. */
export function peerBytesReceived(member: AdminPort, fromId: string): Promise<number> {
  return peerBytes(member, "received", fromId);
}
