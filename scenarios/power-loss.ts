// Power loss: members whose data directory is a power-loss file system lose their power, and with it every write not yet fsynced.
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./fault-checkers.ts";

export const powerLoss: ScenarioSpec = {
  name: "power-loss",
  summary: "one member at a time loses power (writes not fsynced are lost) and comes back on what reached its disk, three times",
  nodes: 3,
  allowedNodes: [1, 3, 5],
  time: "30s",
  schedule: {
    repeat: [{ fault: "power-loss", target: "random", duration: "3s" }],
    every: "8s",
  },
  checkers: faultCheckers(availability(["power-loss"])),
};

export const powerLossMajority: ScenarioSpec = {
  name: "power-loss-majority",
  summary: "a majority loses power at once (writes not fsynced are lost) and comes back on what reached its disks; nothing acknowledged may be lost",
  nodes: 3,
  allowedNodes: [3, 5],
  time: "30s",
  schedule: {
    repeat: [{ fault: "power-loss", target: "majority", duration: "3s" }],
    every: "10s",
  },
  checkers: faultCheckers(availability()),
};
