// The tuning checker on hand-made runs: the settings before and after a reconfigure, side by side.
import { describe, expect, it } from "vitest";
import { tuningChecker, type SettingFigures } from "../../../checkers/tuning.ts";
import type { FaultRecord } from "../../../record/fault.ts";
import type { StatusSample } from "../../../record/status.ts";
import { history, recordedRun, s } from "./fixtures.ts";

function fault(step: number, name: string, fromS: number, toS: number, details: Record<string, unknown> = {}): FaultRecord {
  return { step, fault: name, selector: "all", targets: ["n1", "n2", "n3"], params: {}, start: s(fromS), effective: s(fromS + 0.1), healStart: s(toS), end: s(toS + 0.5), details, signs: [] };
}

/** Status rounds every 200 ms; `leaderAt` names the leader every member sees. */
function rounds(untilS: number, leaderAt: (timeS: number) => string): StatusSample[] {
  const samples: StatusSample[] = [];
  for (let round = 0; round <= untilS * 5; round++) for (const member of ["n1", "n2", "n3"]) samples.push({ time: s(round / 5), member, leader: leaderAt(round / 5) });
  return samples;
}

/** A write every 100 ms taking `latencyAt(t)` seconds, none acknowledged inside the gaps. */
function writes(untilS: number, latencyAt: (timeS: number) => number, gaps: Array<[number, number]>): ReturnType<typeof history> {
  const rows: Parameters<typeof history>[0] = [];
  for (let tenth = 0; tenth < untilS * 10; tenth++) {
    const time = tenth / 10;
    if (!gaps.some(([from, to]) => time >= from && time < to)) rows.push([tenth % 4, "write", "n1", time, time + latencyAt(time), "ok", tenth]);
  }
  return history(rows);
}

const faults = [
  fault(0, "latency-matrix", 1, 5),
  fault(1, "partition", 6, 12),
  fault(2, "reconfigure", 13, 15, { flags: ["--heartbeat-interval=1000", "--election-timeout=5000"] }),
  fault(3, "latency-matrix", 16, 20),
  fault(4, "partition", 21, 29),
];

describe("tuning", () => {
  it("puts the settings side by side: the election after the leader was cut off, the service gap and the write latency under the WAN", () => {
    const statuses = rounds(30, (t) => (t < 7.2 ? "n1" : t < 27.4 ? "n2" : "n3"));
    const latency = (t: number) => ((t >= 1 && t < 5) || (t >= 16 && t < 20) ? 0.08 : 0.005);
    const result = tuningChecker.check(recordedRun({ faults, statuses, history: writes(30, latency, [[6, 7.3], [21, 27.5]]) }));
    expect(result.verdict, result.summary).toBe("valid");
    const [started, tuned] = result["settings"] as SettingFigures[];
    expect(started).toMatchObject({ setting: "as started", leaderChanges: 1, newLeaderAfterS: [1.2], partitions: 1 });
    expect(tuned).toMatchObject({ setting: "heartbeat-interval=1000 election-timeout=5000", leaderChanges: 1, newLeaderAfterS: [6.4], partitions: 1 });
    expect(started!.longestServiceGapS).toBeCloseTo(1.3, 1);
    expect(tuned!.longestServiceGapS).toBeCloseTo(6.5, 1);
    expect(started!.writes.p50Ms).toBe(80);
    expect(result.summary).toMatch(/^as started: 1 leader changes, a new leader 1\.2s after the leader was cut off, no operation acknowledged for 1\.\d+s meanwhile, writes under the WAN p50 80 ms, p99 80 ms \(\d+\); heartbeat-interval=1000 election-timeout=5000: 1 leader changes, a new leader 6\.4s/);
  });

  it("is unknown without a reconfigure, or when a setting never had its leader cut off", () => {
    const statuses = rounds(30, () => "n1");
    const none = tuningChecker.check(recordedRun({ faults: faults.filter((candidate) => candidate.fault !== "reconfigure"), statuses, history: writes(30, () => 0.01, []) }));
    expect(none).toMatchObject({ verdict: "unknown", summary: "no reconfigure in this run: nothing to compare" });
    const oneSided = tuningChecker.check(recordedRun({ faults: faults.slice(0, 4), statuses, history: writes(30, () => 0.01, []) }));
    expect(oneSided.verdict).toBe("unknown");
    expect(oneSided.summary).toMatch(/^each setting needs its leader cut off once to compare: .*none elected|^each setting needs its leader cut off once to compare/);
  });
});
