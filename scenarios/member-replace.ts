// member-replace-follower, member-replace-leader: remove a member, wipe it and add it back as a new member while clients run.
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./fault-checkers.ts";

function memberReplace(role: "follower" | "leader"): ScenarioSpec {
  return {
    name: `member-replace-${role}`,
    summary: `replace the ${role}: remove it, wipe it, add it back under its name as a new member; it must catch up, all converge`,
    allowedNodes: [3, 5, 7],
    schedule: { steps: [{ at: "2s", fault: "member-replace", target: role }] },
    checkers: faultCheckers(availability()),
  };
}

export const memberReplaceFollower = memberReplace("follower");
export const memberReplaceLeader = memberReplace("leader");
