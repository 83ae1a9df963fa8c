// The tuning checker: the settings a cluster ran before and after a reconfigure side by side: leader changes, leaderless time and the service gap when its leader was cut off, and write latency under the WAN.
import type { CheckResult } from "../record/check-result.ts";
import type { FaultRecord } from "../record/fault.ts";
import type { StatusSample } from "../record/status.ts";
import { electionsOf } from "./availability.ts";
import type { Checker } from "./checker.ts";
import { isReadOnly } from "./op-kinds.ts";
import { pairOperations, type Operation } from "./operations.ts";

export interface SettingFigures {
  /** "as started" (etcd's defaults unless the run's flags set them), or the flags a reconfigure gave. */
  setting: string;
  fromS: number;
  toS: number;
  leaderChanges: number;
  /** For each time the leader was cut off, seconds from the cut to the first other leader the status rounds saw (undefined: none in the window). */
  newLeaderAfterS: Array<number | undefined>;
  /** Inside the windows when the leader was cut off (partition faults): the longest stretch with no client operation acknowledged. */
  longestServiceGapS: number;
  partitions: number;
  /** Acknowledged writes inside latency-matrix windows: how many, and their latency's median and 99th percentile. */
  writes: { count: number; p50Ms: number; p99Ms: number };
}

const seconds = (ns: number): number => Math.round(ns / 1e6) / 1e3;

export const tuningChecker: Checker = {
  name: "tuning",
  check(run): CheckResult {
    const reconfigure = run.faults.find((fault) => fault.fault === "reconfigure");
    if (!reconfigure) return { verdict: "unknown", summary: "no reconfigure in this run: nothing to compare", anomalies: [] };
    const flags = ((reconfigure.details["flags"] ?? []) as string[]).map((flag) => flag.replace(/^--/, "")).join(" ");
    const operations = pairOperations(run.history).filter((op) => op.type === "ok" && op.complete !== undefined);
    const end = Math.max(...run.history.map((entry) => entry.time), reconfigure.end);
    const sides = [
      figuresOf("as started", 0, reconfigure.start, run.faults, run.statuses, operations),
      figuresOf(flags || "reconfigured", reconfigure.end, end, run.faults, run.statuses, operations),
    ];
    const line = sides.map(describe).join("; ");
    const evidence = { settings: sides };
    if (sides.some((side) => side.partitions === 0)) return { verdict: "unknown", summary: `each setting needs its leader cut off once to compare: ${line}`, anomalies: [], ...evidence };
    return { verdict: "valid", summary: line, anomalies: [], ...evidence };
  },
};

function figuresOf(setting: string, from: number, to: number, faults: FaultRecord[], statuses: StatusSample[], acknowledged: Operation[]): SettingFigures {
  const inside = (fault: FaultRecord) => fault.start >= from && fault.start < to;
  const elections = electionsOf(statuses.filter((sample) => sample.time >= from && sample.time < to));
  const partitions = faults.filter((fault) => fault.fault === "partition" && inside(fault));
  const latencyWindows = faults.filter((fault) => fault.fault === "latency-matrix" && inside(fault));
  const gaps = partitions.map((fault) => longestGap(acknowledged, fault.start, fault.healStart));
  const latencies = acknowledged
    .filter((op) => !isReadOnly(op) && latencyWindows.some((fault) => op.invoke.time >= fault.effective && op.complete!.time <= fault.healStart))
    .map((op) => (op.complete!.time - op.invoke.time) / 1e6)
    .sort((a, b) => a - b);
  return {
    setting,
    fromS: seconds(from),
    toS: seconds(to),
    leaderChanges: elections.leaderChanges.length,
    newLeaderAfterS: partitions.map((fault) => {
      const change = elections.leaderChanges.find((candidate) => candidate.atS >= seconds(fault.start) && candidate.atS <= seconds(fault.healStart));
      return change ? Math.round((change.atS - seconds(fault.start)) * 1000) / 1000 : undefined;
    }),
    longestServiceGapS: Math.max(0, ...gaps),
    partitions: partitions.length,
    writes: { count: latencies.length, p50Ms: Math.round(quantile(latencies, 0.5)), p99Ms: Math.round(quantile(latencies, 0.99)) },
  };
}

function longestGap(acknowledged: Operation[], from: number, to: number): number {
  const times = acknowledged.map((op) => op.complete!.time).filter((time) => time >= from && time <= to).sort((a, b) => a - b);
  const edges = [from, ...times, to];
  return seconds(Math.max(...edges.slice(1).map((time, index) => time - edges[index]!)));
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function describe(side: SettingFigures): string {
  const writes = side.writes.count > 0 ? `writes under the WAN p50 ${side.writes.p50Ms} ms, p99 ${side.writes.p99Ms} ms (${side.writes.count})` : "no write acknowledged under the WAN";
  const elected = side.newLeaderAfterS.map((after) => (after === undefined ? "none elected in the window" : `${after.toFixed(1)}s`)).join(", ");
  return `${side.setting}: ${side.leaderChanges} leader changes, a new leader ${elected} after the leader was cut off, no operation acknowledged for ${side.longestServiceGapS.toFixed(2)}s meanwhile, ${writes}`;
}
