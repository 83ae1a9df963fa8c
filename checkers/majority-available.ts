// The side holding a quorum keeps acknowledging writes while the partition lasts.
import type { Checker } from "./checker.ts";
import { isReadOnly } from "./op-kinds.ts";
import { pairOperations } from "./operations.ts";
import { partitionWindows, seconds } from "./partition-windows.ts";

export function majorityAvailableChecker(minWritesPerSecond = 1): Checker {
  return {
    name: "majority-available",
    check(run) {
      const windows = partitionWindows(run.faults, run.members).filter((window) => window.majority.length > 0);
      if (windows.length === 0) return { verdict: "unknown", summary: "no partition left a majority in this run" };
      const writes = pairOperations(run.history).filter((op) => !isReadOnly(op) && op.type === "ok");
      const perWindow = windows.map((window) => {
        const acknowledged = writes
          .filter((op) => window.majority.includes(op.node ?? "") && op.complete!.time >= window.from && op.complete!.time <= window.to)
          .map((op) => op.complete!.time);
        const marks = [window.from, ...acknowledged, window.to];
        const longestGapS = Math.max(...marks.slice(1).map((time, index) => seconds(time - marks[index]!)));
        const durationS = seconds(window.to - window.from);
        return {
          majority: window.majority,
          durationS,
          acknowledgedWrites: acknowledged.length,
          writesPerSecond: acknowledged.length / durationS,
          longestGapS,
        };
      });
      const slow = perWindow.filter((window) => window.writesPerSecond < minWritesPerSecond);
      const rates = perWindow.map((window) => window.writesPerSecond.toFixed(1)).join(", ");
      if (slow.length > 0) {
        return {
          verdict: "invalid",
          summary: `the majority acknowledged ${rates} writes/s during partitions; at least ${minWritesPerSecond}/s expected`,
          minWritesPerSecond,
          windows: perWindow,
        };
      }
      return {
        verdict: "valid",
        summary: `the majority acknowledged ${rates} writes/s during partitions (at least ${minWritesPerSecond}/s expected)`,
        minWritesPerSecond,
        windows: perWindow,
      };
    },
  };
}
