// quota-exhaustion: fill a small backend until NOSPACE while clients write and read; heal with the operator's runbook.
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./phased.ts";
import { baseSettings, type Scenario } from "./scenario.ts";

/** Small enough to fill in a few seconds, large enough for a workload's own data to fit many times over. */
export const quotaBytes = 16 * 1024 * 1024;

const warmupMs = 2000;
/** Time left after the heal for clients to show that writes resumed. */
const afterHealMs = 5000;

export const quotaExhaustion: Scenario = {
  name: "quota-exhaustion",
  summary: "fill a 16 MiB backend to NOSPACE: puts refused, reads served; heal by compact, defragment, disarm; writes resume",
  defaults: baseSettings,
  allowedNodes: [1, 3, 5, 7],
  etcdFlags: [`--quota-backend-bytes=${quotaBytes}`],
  schedule({ timeMs }) {
    // The fill takes a few seconds of the window; the alarm stays raised for the rest of it.
    return [{ atMs: warmupMs, fault: "quota", target: "random", durationMs: Math.max(6000, timeMs - warmupMs - afterHealMs) }];
  },
  checkers: [{ name: "quota-alarm" }, ...faultCheckers(availability())],
  expected: "valid",
};
