// grow-shrink: grow the cluster by two members, one at a time, then shrink it back by removing the oldest, while clients run.
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./fault-checkers.ts";

export const growShrink: ScenarioSpec = {
  name: "grow-shrink",
  summary: "grow by two members (3 -> 5), then remove the two oldest (5 -> 3), one change at a time; new members catch up, all converge",
  allowedNodes: [3, 5, 7],
  schedule: {
    steps: [
      { at: "2s", fault: "membership-resize", target: "all", params: { by: 2 } },
      // Growing takes a while (etcd accepts a new voter only 5 s after the last one connected); a shrink
      // scheduled before the growth ends starts right after it.
      // Shrinking removes the original members first, so clients move to the members added, which serve
      // them (read and write) until the end, and the leader is likely among those removed.
      { at: "50%", fault: "membership-resize", target: "all", params: { by: -2, remove: "oldest" } },
    ],
  },
  checkers: faultCheckers(availability()),
};
