// random: a seeded mix of every fault family; `--seed` picks the schedule and replays it exactly.
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./fault-checkers.ts";

export const random: ScenarioSpec = {
  name: "random",
  summary: "a seeded mix of partitions, kills, pauses, restarts, member replacement, slow links and compaction; the same --seed replays it",
  nodes: 5,
  allowedNodes: [3, 5, 7],
  time: "60s",
  schedule: { random: {} },
  // A partition's majority side, and the members a kill or pause of a minority spares, keep serving.
  checkers: [{ name: "minority-refuses", whenFault: "partition" }, ...faultCheckers(availability(["partition", "kill", "pause"]))],
};
