// random: a seeded mix of every fault family; `--seed` picks the schedule and replays it exactly.
import { availability } from "./availability-thresholds.ts";
import { faultCheckers, partitionCheckers } from "./phased.ts";
import { scheduleForSeed } from "./random-schedule.ts";
import { baseSettings, type Scenario } from "./scenario.ts";

export const random: Scenario = {
  name: "random",
  summary: "a seeded mix of partitions, kills, pauses, restarts, member replacement, slow links and compaction; the same --seed replays it",
  defaults: { ...baseSettings, nodes: 5, timeMs: 60_000 },
  allowedNodes: [3, 5, 7],
  schedule: (settings, seed) => scheduleForSeed(settings, seed),
  // A partition's majority side, and the members a kill or pause of a minority spares, keep serving.
  checkers: (schedule) => (schedule.some((step) => step.fault === "partition") ? partitionCheckers : faultCheckers)(availability(["partition", "kill", "pause"])),
  expected: "valid",
};
