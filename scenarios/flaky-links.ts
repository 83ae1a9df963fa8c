// flaky-links: a follower's peer connections reset as soon as they carry data, then slow and slow-closing client links.
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./fault-checkers.ts";

export const flakyLinks: ScenarioSpec = {
  name: "flaky-links",
  summary: "flaky links: reset_peer on a follower's peer links, then 200±100ms on every client link, then client connections slow to close",
  allowedNodes: [3, 5, 7],
  schedule: {
    phases: [
      { fault: "link-reset-peer", target: "follower", params: { timeoutMs: 300 } },
      { fault: "link-latency", target: "all", params: { links: "client", latencyMs: 200, jitterMs: 100 } },
      { fault: "link-slow-close", target: "all", params: { links: "client", direction: "out", delayMs: 1000 } },
    ],
    recovery: "1500ms",
  },
  checkers: faultCheckers(availability()),
};
