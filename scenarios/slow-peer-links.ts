// slow-peer-links: the leader's peer links get latency with jitter, a follower's a bandwidth cap, then the leader's are sliced.
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./fault-checkers.ts";

export const slowPeerLinks: ScenarioSpec = {
  name: "slow-peer-links",
  summary: "slow peer links: latency 150±50ms on the leader's, a 16 KB/s cap on a follower's, then the leader's sliced into small pieces",
  allowedNodes: [3, 5, 7],
  schedule: {
    phases: [
      { fault: "link-latency", target: "leader", params: { latencyMs: 150, jitterMs: 50 } },
      { fault: "link-bandwidth", target: "follower", params: { rateKBps: 16 } },
      { fault: "link-slicer", target: "leader", params: { averageSize: 32, sizeVariation: 16, delayUs: 200 } },
    ],
    recovery: "1500ms",
  },
  checkers: faultCheckers(availability()),
};
