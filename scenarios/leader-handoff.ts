// leader-handoff: remove the leader as it is, then (added back) remove the leader again after move-leader, as the operators' runbook advises; the leaderless gaps side by side.
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./fault-checkers.ts";

export const leaderHandoff: ScenarioSpec = {
  name: "leader-handoff",
  summary: "remove the leader as it is (an election follows), then remove the new leader after move-leader to a member that stays; leaderless gaps side by side",
  allowedNodes: [3, 5],
  time: "30s",
  schedule: {
    steps: [
      // Each removal lasts 5 s; its heal adds the member back, wiped, and waits until it caught up.
      { at: "2s", duration: "5s", fault: "member-remove", target: "leader" },
      { at: "50%", duration: "5s", fault: "member-remove", target: "leader", params: { handoff: true } },
    ],
  },
  checkers: [...faultCheckers(availability()), { name: "leader-handoff" }],
};
