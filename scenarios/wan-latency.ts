// wan-latency: members spread over three zones with different distances between them, as in a WAN deployment.
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./phased.ts";
import { memberName } from "../harness/cluster/topology.ts";
import { baseSettings, type Scenario } from "./scenario.ts";

const warmupMs = 2000;
const tailMs = 2000;
/** One-way latency between zones A, B and C: B sits between A and C. */
const zoneLatencyMs = { "A-B": 30, "B-C": 40, "A-C": 70 } as const;
const zones = ["A", "B", "C"] as const;

/** Members round-robin over the zones (n1 in A, n2 in B, n3 in C, n4 in A, ...), and the latency of every pair. */
export function wanMatrix(nodes: number): Record<string, number> {
  const zoneOf = (index: number) => zones[index % zones.length]!;
  const matrix: Record<string, number> = {};
  for (let i = 0; i < nodes; i++) {
    for (let j = i + 1; j < nodes; j++) {
      const pair = [zoneOf(i), zoneOf(j)].sort().join("-") as keyof typeof zoneLatencyMs;
      if (zoneOf(i) !== zoneOf(j)) matrix[`${memberName(i + 1)}<->${memberName(j + 1)}`] = zoneLatencyMs[pair];
    }
  }
  return matrix;
}

export const wanLatency: Scenario = {
  name: "wan-latency",
  summary: "a WAN: members in three zones, 30/40/70ms one way between them (±10%), for the whole run",
  defaults: baseSettings,
  allowedNodes: [3, 5, 7],
  schedule({ timeMs, nodes }) {
    return [{ atMs: warmupMs, fault: "latency-matrix", target: "all", durationMs: Math.max(3000, timeMs - warmupMs - tailMs), params: { matrix: wanMatrix(nodes) } }];
  },
  checkers: faultCheckers(availability()),
  expected: "valid",
};
