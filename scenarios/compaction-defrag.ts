// compaction-defrag: compact at the current revision and defragment every member, again and again, under load.
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./fault-checkers.ts";

export const compactionDefrag: ScenarioSpec = {
  name: "compaction-defrag",
  summary: "every 3s compact at the current revision (through a random member) or defragment every member in turn, under load",
  allowedNodes: [1, 3, 5, 7],
  schedule: {
    repeat: [
      { fault: "compact", target: "random" },
      { fault: "defrag", target: "all" },
    ],
    every: "3s",
  },
  checkers: faultCheckers(availability()),
};
