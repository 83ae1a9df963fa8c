// Network partitions through toxiproxy blackholes: isolate members, rings, bridges, one-way cuts, flapping.
//
// Every shape is a set of directed peer links to blackhole; a two-way cut blackholes both directions.
// "partition" isolates its targets from the rest, so the selector gives every two-sided shape: one
// follower, the leader, halves with the leader in the minority or in the majority, random halves.
import type { StartedCluster } from "../harness/cluster/cluster.ts";
import { peerBytes } from "../harness/cluster/member-metrics.ts";
import { crossingLinks, type DirectedLink } from "../harness/cluster/peer-links.ts";
import type { FaultRecord } from "../harness/run/fault-schedule.ts";
import type { StatusSample } from "../harness/run/status-sampler.ts";
import { groupWindow, seconds } from "../checkers/partition-windows.ts";
import type { FaultEffect, Nemesis } from "./nemesis.ts";

const atLeastThree = (cluster: StartedCluster): string | undefined =>
  cluster.members.length < 3 ? "a partition needs at least 3 members" : undefined;

/** Cuts the targets off from every other member; the targets still reach each other. */
export const isolateNemesis: Nemesis = {
  name: "partition",
  summary: "cut the targets off from the other members, both directions",
  unavailableReason: (cluster, targets) =>
    atLeastThree(cluster) ?? (targets.length === 0 || targets.length >= cluster.members.length ? "the targets must be some members, not none or all" : undefined),
  async inject({ cluster }, targets) {
    const rest = cluster.names.filter((name) => !targets.includes(name));
    await cluster.links.partition([targets, rest]);
    return { details: { groups: [targets, rest], links: cluster.links.cutLinks().length } };
  },
  async heal({ cluster }) {
    await cluster.links.healAll();
  },
  assess: (fault, samples, members) => assessIsolation(fault, samples, members),
};

/** Every member keeps links to its nearest ring neighbours only: each sees a majority, no two the same. */
export const ringNemesis: Nemesis = {
  name: "partition-ring",
  summary: "ring: every member sees a majority of neighbours, no two members the same majority",
  unavailableReason: (cluster) => (cluster.members.length < 5 ? "a ring needs at least 5 members (with 3 every member sees every other)" : undefined),
  async inject({ cluster }) {
    const links = ringCuts(cluster.names);
    await cluster.links.blackhole(links);
    return { details: { cut: links.map((link) => `${link.from}->${link.to}`) } };
  },
  async heal({ cluster }) {
    await cluster.links.healAll();
  },
  assess: (fault, samples) => assessDisturbance(fault, samples),
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
    return { details: { bridge: targets[0], halves: groups } };
  },
  async heal({ cluster }) {
    await cluster.links.healAll();
  },
  assess: (fault, samples) => assessDisturbance(fault, samples),
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
    baselines.set(cluster, await trafficOn(cluster, links));
    return { details: { cut: links.map((link) => `${link.from}->${link.to}`) } };
  },
  async verify({ cluster }, targets, params) {
    const links = oneWayLinks(cluster.names, targets, params["direction"] === "in" ? "in" : "out");
    const before = baselines.get(cluster) ?? new Map();
    const after = await trafficOn(cluster, links);
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
    if (leaked.length > 0) return { tookEffect: false, evidence: `traffic crossed the cut: ${leaked.join("; ")}` };
    if (dropped.length === 0) return { tookEffect: false, evidence: "no member sent anything across the cut, so nothing shows it bit" };
    return { tookEffect: true, evidence: dropped.join("; ") };
  },
  async heal({ cluster }) {
    baselines.delete(cluster);
    await cluster.links.healAll();
  },
};

/** Isolates the targets, heals, isolates again, every `periodMs` (2000 by default) until the fault ends. */
export const flappingNemesis: Nemesis = {
  name: "partition-flapping",
  summary: "flapping: isolate the targets and heal, again and again, every periodMs",
  unavailableReason: isolateNemesis.unavailableReason,
  async inject({ cluster }, targets, params) {
    const periodMs = typeof params["periodMs"] === "number" ? params["periodMs"] : 2000;
    const rest = cluster.names.filter((name) => !targets.includes(name));
    const state = { running: true, flips: 0, loop: Promise.resolve() };
    state.loop = (async () => {
      while (state.running) {
        if (state.flips % 2 === 0) await cluster.links.partition([targets, rest]);
        else await cluster.links.healAll();
        state.flips++;
        await new Promise((resolve) => setTimeout(resolve, periodMs));
      }
    })();
    flapping.set(cluster, state);
    return { details: { groups: [targets, rest], periodMs } };
  },
  async heal({ cluster }) {
    const state = flapping.get(cluster);
    if (state) {
      state.running = false;
      await state.loop;
      flapping.delete(cluster);
    }
    await cluster.links.healAll();
  },
  // Cut for one period at a time, a follower cut off together with the leader may not time out
  // before the next heal; one member of the minority losing its leader shows the cut bit.
  assess: (fault, samples, members) => assessIsolation(fault, samples, members, "some"),
};

const baselines = new WeakMap<StartedCluster, Map<string, { sent: number; received: number }>>();
const flapping = new WeakMap<StartedCluster, { running: boolean; flips: number; loop: Promise<void> }>();

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

async function trafficOn(cluster: StartedCluster, links: DirectedLink[]): Promise<Map<string, { sent: number; received: number }>> {
  const entries = await Promise.all(
    links.map(async (link) => {
      const from = cluster.member(link.from);
      const to = cluster.member(link.to);
      const [sent, received] = await Promise.all([
        peerBytes(from.pod.adminEndpoint, "sent", to.id),
        peerBytes(to.pod.adminEndpoint, "received", from.id),
      ]);
      return [`${link.from}->${link.to}`, { sent, received }] as const;
    }),
  );
  return new Map(entries);
}

/**
 * An isolation bit when every member of the minority (or, with "some", at least one) reported no
 * leader at some point while cut off, and the majority meanwhile agreed on a leader of its own.
 */
export function assessIsolation(fault: FaultRecord, samples: StatusSample[], members: string[], required: "every" | "some" = "every"): FaultEffect {
  const window = groupWindow(fault, members);
  const inside = samples.filter((sample) => sample.time >= window.from && sample.time <= window.to);
  const lostLeader = window.minority.map((member) => {
    const first = inside.find((sample) => sample.member === member && sample.leader === null && sample.error === undefined);
    return { member, afterS: first ? seconds(first.time - window.from) : undefined };
  });
  const majorityLeaders = new Set(inside.filter((sample) => window.majority.includes(sample.member) && sample.leader).map((sample) => sample.leader));
  const majorityLed = window.majority.length === 0 || [...majorityLeaders].some((leader) => window.majority.includes(leader!));
  const silent = lostLeader.filter((entry) => entry.afterS === undefined).map((entry) => entry.member);
  // The majority followed a leader the cut left in the minority, then elected one of its own: the cut bit,
  // even when the minority's samples never caught it leaderless (a short cut, a leader slow to step down).
  const cutOffLeaders = [...majorityLeaders].filter((leader) => window.minority.includes(leader!));
  const ownLeaders = [...majorityLeaders].filter((leader) => window.majority.includes(leader!));
  const leaderReplaced = cutOffLeaders.length > 0 && ownLeaders.length > 0;
  const evidence = [
    ...lostLeader.filter((entry) => entry.afterS !== undefined).map((entry) => `${entry.member} lost its leader ${entry.afterS!.toFixed(1)}s after the cut`),
    ...(silent.length ? [`${silent.join(",")} kept a leader throughout`] : []),
    window.majority.length ? (majorityLed ? `${window.majority.join(",")} were led by ${[...majorityLeaders].join(",")}` : `${window.majority.join(",")} had no leader of their own`) : "",
    required === "some" && leaderReplaced ? `the majority replaced cut-off leader ${cutOffLeaders.join(",")} with ${ownLeaders.join(",")}` : "",
  ];
  const minorityBit = required === "every" ? silent.length === 0 : silent.length < lostLeader.length || leaderReplaced;
  return { tookEffect: minorityBit && majorityLed, evidence: evidence.filter(Boolean).join("; ") };
}

/** A shape where everyone still sees a majority bit when some member lost its leader or the term moved. */
export function assessDisturbance(fault: FaultRecord, samples: StatusSample[]): FaultEffect {
  const inside = samples.filter((sample) => sample.time >= fault.effective && sample.time <= fault.healStart && sample.error === undefined);
  const before = samples.filter((sample) => sample.time < fault.start && sample.term !== undefined).at(-1)?.term;
  const leaderless = [...new Set(inside.filter((sample) => sample.leader === null).map((sample) => sample.member))];
  const terms = inside.map((sample) => sample.term ?? 0);
  const termMoved = before !== undefined && terms.some((term) => term > before);
  if (leaderless.length === 0 && !termMoved) return { tookEffect: false, evidence: "every member kept its leader and the term did not move" };
  return {
    tookEffect: true,
    evidence: [leaderless.length ? `${leaderless.join(",")} lost their leader` : "", termMoved ? `the term moved from ${before} to ${Math.max(...terms)}` : ""]
      .filter(Boolean)
      .join("; "),
  };
}
