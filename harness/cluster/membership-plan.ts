// Pure decisions behind membership changes: which names to add or remove, and the --initial-cluster a joiner gets.
import type { MemberInfo } from "./member-status.ts";
import { maxMembers, memberName, ordinalOf, peerUrl } from "./topology.ts";

/** The lowest member name not in use; a removed member's name (and pod) is free again. */
export function nextFreeName(current: readonly string[]): string {
  for (let ordinal = 1; ordinal <= maxMembers; ordinal++) {
    const name = memberName(ordinal);
    if (!current.includes(name)) return name;
  }
  throw new Error(`a cluster here has at most ${maxMembers} members (every pod knows ${maxMembers} peer names); it has ${current.length}`);
}

export interface ResizePlan {
  /** Names to add, one at a time, in this order. */
  add: string[];
  /** Names to remove, one at a time, in this order. */
  remove: string[];
}

/** Which members a shrink removes first: the highest names (the newest, after a growth) or the lowest. */
export type ShrinkOrder = "newest" | "oldest";

/**
 * Growing adds the lowest free names; shrinking removes the highest names first ("newest") or the lowest
 * ("oldest"), whichever role they have, the leader included.
 */
export function resizePlan(current: readonly string[], to: number, order: ShrinkOrder = "newest"): ResizePlan {
  if (!Number.isInteger(to) || to < 1 || to > maxMembers) throw new Error(`a cluster size is 1 to ${maxMembers}, not ${to}`);
  const add: string[] = [];
  const names = [...current];
  while (names.length < to) {
    const name = nextFreeName(names);
    names.push(name);
    add.push(name);
  }
  const byOrdinal = [...current].sort((a, b) => (order === "newest" ? ordinalOf(b) - ordinalOf(a) : ordinalOf(a) - ordinalOf(b)));
  return { add, remove: byOrdinal.slice(0, Math.max(0, current.length - to)) };
}

/** Member name of a peer URL of this topology (http://peer-<k>:2380 or https://peer-<k>:2380 is n<k>), or undefined for any other URL. */
export function nameOfPeerUrl(url: string): string | undefined {
  const match = /^(https?):\/\/peer-(\d+):\d+$/.exec(url);
  const ordinal = Number(match?.[2]);
  if (!match || ordinal < 1 || ordinal > maxMembers) return undefined;
  return peerUrl(ordinal, match[1] === "https") === url ? memberName(ordinal) : undefined;
}

/**
 * Names for the --initial-cluster of a member joining with --initial-cluster-state=existing: every
 * member etcd lists (a member not started yet has no name, so names come from peer URLs), which
 * includes the joiner once MemberAdd has committed.
 */
export function initialClusterNames(members: readonly MemberInfo[], joiner: string): string[] {
  const names = members.map((member) => {
    const name = member.peerUrls.map(nameOfPeerUrl).find((candidate) => candidate !== undefined);
    if (!name) throw new Error(`member ${member.id} has peer URLs ${member.peerUrls.join(",")}, none of this cluster's pods`);
    return name;
  });
  if (!names.includes(joiner)) throw new Error(`etcd's member list (${names.join(", ")}) does not include the joiner ${joiner}`);
  return names.sort((a, b) => ordinalOf(a) - ordinalOf(b));
}

/** An etcd member id as etcd and etcdctl print it (hex), from the decimal string the API gives. */
export function hexId(id: string): string {
  return /^\d+$/.test(id) ? BigInt(id).toString(16) : id;
}
