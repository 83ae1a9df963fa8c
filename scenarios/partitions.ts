// Partition scenarios: the minority and the majority with the leader on either side, the leader alone,
// rings, bridges, one-way cuts and flapping.
import { availability } from "./availability-thresholds.ts";
import { faultCheckers, partitionCheckers, phasedSchedule } from "./phased.ts";
import { baseSettings, type Scenario } from "./scenario.ts";

const five = { ...baseSettings, nodes: 5 };

export const partitionMinority: Scenario = {
  name: "partition-minority",
  summary: "isolate a minority without the leader, then one with it; the minority must refuse, the majority serve, all converge",
  defaults: baseSettings,
  allowedNodes: [3, 5, 7],
  schedule: phasedSchedule([
    { fault: "partition", target: "minority-without-leader" },
    { fault: "partition", target: "minority-with-leader" },
  ]),
  checkers: partitionCheckers(availability(["partition"])),
  expected: "valid",
};

export const partitionMajorityLeader: Scenario = {
  name: "partition-majority-leader",
  summary: "split into halves with the leader on the majority side; it keeps serving, the minority refuses",
  defaults: five,
  allowedNodes: [3, 5, 7],
  schedule: phasedSchedule([{ fault: "partition", target: "minority-without-leader" }]),
  checkers: partitionCheckers(availability(["partition"])),
  expected: "valid",
};

export const partitionLeader: Scenario = {
  name: "partition-leader",
  summary: "cut the leader off alone; the rest elect a new one, the old leader steps down and refuses",
  defaults: five,
  allowedNodes: [3, 5, 7],
  schedule: phasedSchedule([{ fault: "partition", target: "leader" }]),
  checkers: partitionCheckers(availability(["partition"])),
  expected: "valid",
};

export const partitionRing: Scenario = {
  name: "partition-ring",
  summary: "ring: every member sees a majority of neighbours, no two the same; the cluster must stay safe",
  defaults: five,
  allowedNodes: [5, 7],
  schedule: phasedSchedule([{ fault: "partition-ring", target: "all" }]),
  checkers: faultCheckers(availability()),
  expected: "valid",
};

export const partitionBridge: Scenario = {
  name: "partition-bridge",
  summary: "bridge: two halves cut from each other, one follower linked to both; the leader's half keeps it",
  defaults: five,
  allowedNodes: [3, 5, 7],
  // A follower, so the leader sits in one half and the other half only hears it through the bridge.
  schedule: phasedSchedule([{ fault: "partition-bridge", target: "follower" }]),
  checkers: faultCheckers(availability()),
  expected: "valid",
};

export const partitionOneWay: Scenario = {
  name: "partition-one-way",
  summary: "one-way cuts: the leader's outbound traffic dropped, then a follower's inbound",
  defaults: baseSettings,
  allowedNodes: [3, 5, 7],
  schedule: phasedSchedule([
    { fault: "partition-one-way", target: "leader", params: { direction: "out" } },
    { fault: "partition-one-way", target: "follower", params: { direction: "in" } },
  ]),
  checkers: faultCheckers(availability()),
  expected: "valid",
};

export const partitionFlapping: Scenario = {
  name: "partition-flapping",
  summary: "flapping: isolate the leader and heal, every 2 s, for the whole window",
  defaults: baseSettings,
  allowedNodes: [3, 5, 7],
  schedule: phasedSchedule([{ fault: "partition-flapping", target: "minority-with-leader", params: { periodMs: 2000 } }]),
  checkers: faultCheckers(availability()),
  expected: "valid",
};
