// grow-shrink: grow the cluster by two members, one at a time, then shrink it back by removing the oldest, while clients run.
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./phased.ts";
import { baseSettings, type Scenario } from "./scenario.ts";

const warmupMs = 2000;

export const growShrink: Scenario = {
  name: "grow-shrink",
  summary: "grow by two members (3 -> 5), then remove the two oldest (5 -> 3), one change at a time; new members catch up, all converge",
  defaults: baseSettings,
  allowedNodes: [3, 5, 7],
  schedule: ({ nodes, timeMs }) => [
    { atMs: warmupMs, fault: "membership-resize", target: "all", durationMs: 0, params: { to: nodes + 2 } },
    // Growing takes a while (etcd accepts a new voter only 5 s after the last one connected); a shrink
    // scheduled before the growth ends starts right after it.
    // Shrinking removes the original members first, so clients move to the members added, which serve
    // them (read and write) until the end, and the leader is likely among those removed.
    { atMs: Math.max(warmupMs, timeMs / 2), fault: "membership-resize", target: "all", durationMs: 0, params: { to: nodes, remove: "oldest" } },
  ],
  checkers: faultCheckers(availability()),
  expected: "valid",
};
