// grow-from-one: a one-member cluster grown to three, one member at a time, each started 3 s after its `member add` (as an operator provisions a machine): the window with no quorum the write-ups warn of, measured.
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./fault-checkers.ts";

export const growFromOne: ScenarioSpec = {
  name: "grow-from-one",
  summary: "one member grown to three, each new member started 3 s after its member add: no quorum from the first add until n2 starts, nothing committed meanwhile",
  nodes: 1,
  allowedNodes: [1],
  time: "30s",
  schedule: { steps: [{ at: "3s", fault: "membership-resize", target: "all", params: { to: 3, startDelayMs: 3000 } }] },
  checkers: [...faultCheckers(availability()), { name: "quorum-window" }],
};
