// membership-churn: add a voter, remove a follower, add a learner and promote it; each undone when its window ends.
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./phased.ts";
import { baseSettings, type Scenario } from "./scenario.ts";

const warmupMs = 2000;
const tailMs = 2000;

export const membershipChurn: Scenario = {
  name: "membership-churn",
  summary: "add a voter, then remove a follower, then add a learner and promote it; each undone at heal (removed, or added back wiped)",
  defaults: baseSettings,
  allowedNodes: [3, 5, 7],
  schedule({ timeMs }) {
    // Each change takes seconds of its own (etcd waits 5 s after a member connects before it accepts the
    // next voter); a step whose time has passed starts right after the one before.
    const windowMs = Math.max(3000, (timeMs - warmupMs - tailMs) / 3);
    return [
      { atMs: warmupMs, fault: "member-add", target: "all", durationMs: windowMs },
      { atMs: warmupMs + windowMs, fault: "member-remove", target: "follower", durationMs: windowMs },
      { atMs: warmupMs + 2 * windowMs, fault: "member-learner", target: "all", durationMs: windowMs },
    ];
  },
  checkers: faultCheckers(availability()),
  expected: "valid",
};
