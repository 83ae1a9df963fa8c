// membership-churn: add a voter, remove a follower, add a learner and promote it; each undone when its window ends.
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./fault-checkers.ts";

export const membershipChurn: ScenarioSpec = {
  name: "membership-churn",
  summary: "add a voter, then remove a follower, then add a learner and promote it; each undone at heal (removed, or added back wiped)",
  allowedNodes: [3, 5, 7],
  // Each change takes seconds of its own (etcd waits 5 s after a member connects before it accepts the
  // next voter); a step whose time has passed starts right after the one before.
  schedule: {
    phases: [
      { fault: "member-add", target: "all" },
      { fault: "member-remove", target: "follower" },
      { fault: "member-learner", target: "all" },
    ],
    recovery: "0s",
  },
  checkers: faultCheckers(availability()),
};
