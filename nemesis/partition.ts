// Network partitions through blackholed peer links: isolate members, rings, bridges, one-way cuts, flapping.
//
// Every shape is a set of directed peer links to blackhole; a two-way cut blackholes both directions.
// "partition" isolates its targets from the rest, so the selector gives every two-sided shape: one
// follower, the leader, halves with the leader in the minority or in the majority, random halves.
import type { Cluster } from "../harness/cluster/backend.ts";
import { crossingLinks, type DirectedLink } from "../harness/cluster/links.ts";
import { peerBytes } from "../harness/cluster/member-metrics.ts";
import type { EffectSign } from "../record/fault.ts";
import { faultHandle, measured, quorumOf, type Nemesis } from "./nemesis.ts";

const atLeastThree = (cluster: Cluster): string | undefined =>
  cluster.members.length < 3 ? "a partition needs at least 3 members" : undefined;

/** Cuts the targets off from every other member; the targets still reach each other. */
export const isolateNemesis: Nemesis = {
  name: "partition",
  summary: "cut the targets off from the other members, both directions",
  // Long enough for the cut-off side to lose its leader and clients to see the minority refuse.
  cycle: { onMs: 5000, offMs: 2000 },
  unavailableReason: (cluster, targets) =>
    atLeastThree(cluster) ?? (targets.length === 0 || targets.length >= cluster.members.length ? "the targets must be some members, not none or all" : undefined),
  async inject({ cluster }, targets) {
    const groups = [targets, cluster.names.filter((name) => !targets.includes(name))];
    await cluster.links.partition(groups);
    return faultHandle(
      { groups, links: cluster.links.cutLinks().length },
      { verify: async () => [leaderLost(groups, cluster.members.length, "every")], heal: () => cluster.links.healAll() },
    );
  },
};

/** Every member keeps links to its nearest ring neighbours only: each sees a majority, no two the same. */
export const ringNemesis: Nemesis = {
  name: "partition-ring",
  summary: "ring: every member sees a majority of neighbours, no two members the same majority",
  unavailableReason: (cluster) => (cluster.members.length < 5 ? "a ring needs at least 5 members (with 3 every member sees every other)" : undefined),
  async inject({ cluster }) {
    const links = ringCuts(cluster.names);
    await cluster.links.blackhole(links);
    return faultHandle({ cut: links.map((link) => `${link.from}->${link.to}`) }, { verify: async () => [{ kind: "disturbed" }], heal: () => cluster.links.healAll() });
  },
};

/** Two halves that cannot talk, and one member (the target) that talks to both. */
export const bridgeNemesis: Nemesis = {
  name: "partition-bridge",
  summary: "bridge: two halves cut from each other, one member (the target) linked to both",
  unavailableReason: (cluster, targets) => atLeastThree(cluster) ?? (targets.length !== 1 ? "a bridge is one member" : undefined),
  async inject({ cluster }, targets) {
    const others = cluster.names.filter((name) => name !== targets[0]);
    const half = Math.floor(others.length / 2);
    const groups = [others.slice(0, half), others.slice(half)];
    await cluster.links.partition(groups);
    return faultHandle({ bridge: targets[0], halves: groups }, { verify: async () => [{ kind: "disturbed" }], heal: () => cluster.links.healAll() });
  },
};

/**
 * Drops what the targets send to the others ("out", the default) or what the others send to the
 * targets ("in"); the other direction keeps flowing. Verified from etcd's own counters: bytes the
 * sender says it sent that the receiver never received.
 */
export const oneWayNemesis: Nemesis = {
  name: "partition-one-way",
  summary: "one-way cut: what the targets send to the others (direction out) or receive from them (in) is dropped",
  unavailableReason: (cluster, _targets, params) =>
    atLeastThree(cluster) ?? (params["direction"] !== undefined && params["direction"] !== "in" && params["direction"] !== "out" ? "direction is in or out" : undefined),
  async inject({ cluster }, targets, params) {
    const links = oneWayLinks(cluster.names, targets, params["direction"] === "in" ? "in" : "out");
    await cluster.links.blackhole(links);
    // Let bytes already in flight land before taking the baseline.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = await trafficOn(cluster, links);
    return faultHandle(
      { cut: links.map((link) => `${link.from}->${link.to}`) },
      { verify: async () => [trafficDropped(before, await trafficOn(cluster, links))], heal: () => cluster.links.healAll() },
    );
  },
};

/** Isolates the targets, heals, isolates again, every `periodMs` (2000 by default) until the fault ends. */
export const flappingNemesis: Nemesis = {
  name: "partition-flapping",
  summary: "flapping: isolate the targets and heal, again and again, every periodMs",
  unavailableReason: isolateNemesis.unavailableReason,
  async inject({ cluster }, targets, params) {
    const periodMs = typeof params["periodMs"] === "number" ? params["periodMs"] : 2000;
    const groups = [targets, cluster.names.filter((name) => !targets.includes(name))];
    let running = true;
    const loop = (async () => {
      for (let flips = 0; running; flips++) {
        if (flips % 2 === 0) await cluster.links.partition(groups);
        else await cluster.links.healAll();
        await new Promise((resolve) => setTimeout(resolve, periodMs));
      }
    })();
    return faultHandle(
      { groups, periodMs },
      {
        // Cut for one period at a time, a follower cut off together with the leader may not time out
        // before the next heal; one member of the minority losing its leader shows the cut bit.
        verify: async () => [leaderLost(groups, cluster.members.length, "some")],
        async heal() {
          running = false;
          await loop;
          await cluster.links.healAll();
        },
      },
    );
  },
};

/** The sign of a cut: the sides too small for a quorum lose their leader, the side with one keeps its own. */
function leaderLost(groups: string[][], members: number, required: "every" | "some"): EffectSign {
  const quorum = quorumOf(members);
  return { kind: "leader-lost", members: groups.filter((group) => group.length < quorum).flat(), majority: groups.find((group) => group.length >= quorum) ?? [], required };
}

/** The links a ring cut blackholes: both directions between members further apart than the neighbours kept. */
export function ringCuts(names: string[]): DirectedLink[] {
  const n = names.length;
  // Keeping k neighbours on each side, a member sees 2k + 1: the least k for a majority.
  const kept = Math.ceil(Math.floor(n / 2) / 2);
  const links: DirectedLink[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const distance = Math.min(Math.abs(i - j), n - Math.abs(i - j));
      if (i !== j && distance > kept) links.push({ from: names[i]!, to: names[j]! });
    }
  }
  return links;
}

export function oneWayLinks(names: string[], targets: string[], direction: "in" | "out"): DirectedLink[] {
  const rest = names.filter((name) => !targets.includes(name));
  const out = crossingLinks([targets, rest]).filter((link) => targets.includes(link.from));
  return direction === "out" ? out : out.map((link) => ({ from: link.to, to: link.from }));
}

type Traffic = Map<string, { sent: number; received: number }>;

async function trafficOn(cluster: Cluster, links: DirectedLink[]): Promise<Traffic> {
  const entries = await Promise.all(
    links.map(async (link) => {
      const from = cluster.member(link.from);
      const to = cluster.member(link.to);
      const [sent, received] = await Promise.all([peerBytes(from, "sent", to.id), peerBytes(to, "received", from.id)]);
      return [`${link.from}->${link.to}`, { sent, received }] as const;
    }),
  );
  return new Map(entries);
}

/** A one-way cut bit when senders kept sending across it and receivers got none of it. */
export function trafficDropped(before: Traffic, after: Traffic): EffectSign {
  const dropped: string[] = [];
  const leaked: string[] = [];
  for (const [link, now] of after) {
    const then = before.get(link);
    if (!then) continue;
    const sent = now.sent - then.sent;
    const received = now.received - then.received;
    if (received > 0) leaked.push(`${link} delivered ${received} bytes`);
    else if (sent > 0) dropped.push(`${link} dropped ${sent} bytes`);
  }
  if (leaked.length > 0) return measured(false, `traffic crossed the cut: ${leaked.join("; ")}`);
  if (dropped.length === 0) return measured(false, "no member sent anything across the cut, so nothing shows it bit");
  return measured(true, dropped.join("; "));
}
