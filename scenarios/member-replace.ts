// member-replace-follower, member-replace-leader: remove a member, wipe it and add it back as a new member while clients run.
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./phased.ts";
import { baseSettings, type Scenario } from "./scenario.ts";

const warmupMs = 2000;

function memberReplace(role: "follower" | "leader"): Scenario {
  return {
    name: `member-replace-${role}`,
    summary: `replace the ${role}: remove it, wipe it, add it back under its name as a new member; it must catch up, all converge`,
    defaults: baseSettings,
    allowedNodes: [3, 5, 7],
    schedule: () => [{ atMs: warmupMs, fault: "member-replace", target: role, durationMs: 0 }],
    checkers: faultCheckers(availability()),
    expected: "valid",
  };
}

export const memberReplaceFollower = memberReplace("follower");
export const memberReplaceLeader = memberReplace("leader");
