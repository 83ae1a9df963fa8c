// Partition scenarios: the minority and the majority with the leader on either side, the leader alone,
// rings, bridges, one-way cuts and flapping.
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { availability } from "./availability-thresholds.ts";
import { faultCheckers, partitionCheckers } from "./fault-checkers.ts";

export const partitionMinority: ScenarioSpec = {
  name: "partition-minority",
  summary: "isolate a minority without the leader, then one with it, in turn (5s each, 2s healed); the minority must refuse, the majority serve, all converge",
  allowedNodes: [3, 5, 7],
  schedule: {
    cycle: [
      { fault: "partition", target: "minority-without-leader" },
      { fault: "partition", target: "minority-with-leader" },
    ],
  },
  checkers: partitionCheckers(availability(["partition"])),
};

export const partitionMajorityLeader: ScenarioSpec = {
  name: "partition-majority-leader",
  summary: "split into halves with the leader on the majority side, again every 7s; it keeps serving, the minority refuses",
  nodes: 5,
  allowedNodes: [3, 5, 7],
  schedule: { cycle: [{ fault: "partition", target: "minority-without-leader" }] },
  checkers: partitionCheckers(availability(["partition"])),
};

export const partitionLeader: ScenarioSpec = {
  name: "partition-leader",
  summary: "cut the leader off alone, again every 7s; the rest elect a new one, the old leader steps down and refuses",
  nodes: 5,
  allowedNodes: [3, 5, 7],
  schedule: { cycle: [{ fault: "partition", target: "leader" }] },
  checkers: partitionCheckers(availability(["partition"])),
};

export const partitionRing: ScenarioSpec = {
  name: "partition-ring",
  summary: "ring: every member sees a majority of neighbours, no two the same; the cluster must stay safe",
  nodes: 5,
  allowedNodes: [5, 7],
  schedule: { phases: [{ fault: "partition-ring", target: "all" }] },
  checkers: faultCheckers(availability()),
};

export const partitionBridge: ScenarioSpec = {
  name: "partition-bridge",
  summary: "bridge: two halves cut from each other, one follower linked to both; the leader's half keeps it",
  nodes: 5,
  allowedNodes: [3, 5, 7],
  // A follower, so the leader sits in one half and the other half only hears it through the bridge.
  schedule: { phases: [{ fault: "partition-bridge", target: "follower" }] },
  checkers: faultCheckers(availability()),
};

export const partitionOneWay: ScenarioSpec = {
  name: "partition-one-way",
  summary: "one-way cuts: the leader's outbound traffic dropped, then a follower's inbound",
  allowedNodes: [3, 5, 7],
  schedule: {
    phases: [
      { fault: "partition-one-way", target: "leader", params: { direction: "out" } },
      { fault: "partition-one-way", target: "follower", params: { direction: "in" } },
    ],
  },
  checkers: faultCheckers(availability()),
};

export const partitionFlapping: ScenarioSpec = {
  name: "partition-flapping",
  summary: "flapping: isolate the leader and heal, every 2 s, for the whole window",
  allowedNodes: [3, 5, 7],
  schedule: { phases: [{ fault: "partition-flapping", target: "minority-with-leader", params: { periodMs: 2000 } }] },
  checkers: faultCheckers(availability()),
};
