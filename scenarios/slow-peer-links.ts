// slow-peer-links: the leader's peer links get latency with jitter, a follower's a bandwidth cap, then the leader's are sliced.
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./phased.ts";
import { baseSettings, type Scenario } from "./scenario.ts";

const warmupMs = 2000;
const gapMs = 1500;
const tailMs = 2000;

export const slowPeerLinks: Scenario = {
  name: "slow-peer-links",
  summary: "slow peer links: latency 150±50ms on the leader's, a 16 KB/s cap on a follower's, then the leader's sliced into small pieces",
  defaults: baseSettings,
  allowedNodes: [3, 5, 7],
  schedule({ timeMs }) {
    const windowMs = Math.max(3000, (timeMs - warmupMs - 2 * gapMs - tailMs) / 3);
    const at = (index: number): number => warmupMs + index * (windowMs + gapMs);
    return [
      { atMs: at(0), fault: "link-latency", target: "leader", durationMs: windowMs, params: { latencyMs: 150, jitterMs: 50 } },
      { atMs: at(1), fault: "link-bandwidth", target: "follower", durationMs: windowMs, params: { rateKBps: 16 } },
      { atMs: at(2), fault: "link-slicer", target: "leader", durationMs: windowMs, params: { averageSize: 32, sizeVariation: 16, delayUs: 200 } },
    ];
  },
  checkers: faultCheckers,
  availability: availability(),
  expected: "valid",
};
