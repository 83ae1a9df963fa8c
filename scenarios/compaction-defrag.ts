// compaction-defrag: compact at the current revision and defragment every member, again and again, under load.
import { availability } from "./availability-thresholds.ts";
import { faultCheckers, repeatedSchedule } from "./phased.ts";
import { baseSettings, type Scenario } from "./scenario.ts";

const everyMs = 3000;
const tailMs = 2000;

export const compactionDefrag: Scenario = {
  name: "compaction-defrag",
  summary: "every 3s compact at the current revision (through a random member) or defragment every member in turn, under load",
  defaults: baseSettings,
  allowedNodes: [1, 3, 5, 7],
  schedule: repeatedSchedule(everyMs, tailMs, (atMs, turn) =>
    turn % 2 === 0 ? { atMs, fault: "compact", target: "random", durationMs: 0 } : { atMs, fault: "defrag", target: "all", durationMs: 0 },
  ),
  checkers: faultCheckers(availability()),
  expected: "valid",
};
