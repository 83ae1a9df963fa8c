// flaky-links: a follower's peer connections reset as soon as they carry data, then slow and slow-closing client links.
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./phased.ts";
import { baseSettings, type Scenario } from "./scenario.ts";

const warmupMs = 2000;
const gapMs = 1500;
const tailMs = 2000;

export const flakyLinks: Scenario = {
  name: "flaky-links",
  summary: "flaky links: reset_peer on a follower's peer links, then 200±100ms on every client link, then client connections slow to close",
  defaults: baseSettings,
  allowedNodes: [3, 5, 7],
  schedule({ timeMs }) {
    const windowMs = Math.max(3000, (timeMs - warmupMs - 2 * gapMs - tailMs) / 3);
    const at = (index: number): number => warmupMs + index * (windowMs + gapMs);
    return [
      { atMs: at(0), fault: "link-reset-peer", target: "follower", durationMs: windowMs, params: { timeoutMs: 300 } },
      { atMs: at(1), fault: "link-latency", target: "all", durationMs: windowMs, params: { links: "client", latencyMs: 200, jitterMs: 100 } },
      { atMs: at(2), fault: "link-slow-close", target: "all", durationMs: windowMs, params: { links: "client", direction: "out", delayMs: 1000 } },
    ];
  },
  checkers: faultCheckers,
  availability: availability(),
  expected: "valid",
};
