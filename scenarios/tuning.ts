// tuning: the write-ups' advice for clusters across data centres (heartbeat 1 s, elections after 5 s) rehearsed against the settings the cluster starts with: a three-zone WAN and a leader cut off under each, side by side.
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./fault-checkers.ts";
import { zoneDistances } from "./wan-latency.ts";

const wan = { fault: "latency-matrix", target: "all", params: { zoneDistances } };

export const tuning: ScenarioSpec = {
  name: "tuning",
  summary: "a three-zone WAN (8 s) and the leader cut off (14 s) with the settings the cluster starts with; every member restarted with heartbeat 1000 ms / election 5000 ms; the same again; figures side by side",
  allowedNodes: [3, 5],
  time: "62s",
  schedule: {
    steps: [
      { at: "2s", duration: "8s", ...wan },
      { at: "11s", duration: "14s", fault: "partition", target: "leader" },
      { at: "26s", fault: "reconfigure", target: "all", params: { flags: ["heartbeat-interval=1000", "election-timeout=5000"] } },
      { at: "34s", duration: "8s", ...wan },
      { at: "43s", duration: "14s", fault: "partition", target: "leader" },
    ],
  },
  checkers: [{ name: "minority-refuses" }, ...faultCheckers(availability()), { name: "tuning" }],
};
