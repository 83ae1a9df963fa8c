// blackhole-until-snapshot reads how far the leader compacted its raft log from etcd's own log lines.
import { describe, expect, it } from "vitest";
import { catchUpEntries, compactedIndex, logsCompactions } from "../../../nemesis/snapshot-catchup.ts";

const at = (second: number) => `2026-12-02T04:15:${String(second).padStart(2, "0")}.000000Z`;
const line = (second: number, fields: Record<string, unknown>): string => JSON.stringify({ level: "info", ts: at(second), ...fields });

describe("compactedIndex", () => {
  it("on 3.5 takes the highest compact-index logged, and nothing from snapshots saved while compaction was held back", () => {
    const output = [
      line(1, { msg: "compacted Raft logs", "compact-index": 1 }),
      line(2, { msg: "compacted Raft logs", "compact-index": 1212 }),
      line(3, { msg: "saved snapshot", "snapshot-index": 9000 }),
      line(3, { msg: "skip compaction since there is an inflight snapshot" }),
      line(4, { msg: "compacted Raft logs", "compact-index": 954 }),
      "panic: something else",
    ].join("\n");
    expect(compactedIndex(output, 5000, true)).toBe(1212);
    // A window with only held-back snapshots (a run read between a snapshot and its skip line included).
    const held = [line(1, { msg: "saved snapshot", "snapshot-index": 15800 }), line(1, { msg: "skip compaction since there is an inflight snapshot" }), line(3, { msg: "saved snapshot", "snapshot-index": 15845 })];
    expect(compactedIndex(held.join("\n"), 10, true)).toBeUndefined();
  });

  it("from 3.6 on, where compaction is logged at debug level only, takes a snapshot less the catch-up entries once a second has passed with no skip line after it", () => {
    const snapshots = [line(1, { msg: "triggering snapshot" }), line(1, { msg: "saved snapshot to disk", "snapshot-index": 700 }), line(2, { msg: "saved snapshot to disk", "snapshot-index": 820 })];
    expect(compactedIndex(snapshots.join("\n"), 10, false)).toBe(690);
    // The latest snapshot's own skip line may not be written yet: it counts only a second later.
    expect(compactedIndex([...snapshots, line(4, { msg: "saved snapshot to disk", "snapshot-index": 900 })].join("\n"), 10, false)).toBe(810);
    expect(compactedIndex([...snapshots, line(2, { msg: "skip compaction since there is an inflight snapshot" })].join("\n"), 10, false)).toBeUndefined();
    expect(compactedIndex(snapshots.join("\n"), 5000, false)).toBeUndefined();
    expect(compactedIndex(line(1, { msg: "skip compaction since there is an inflight snapshot" }), 10, false)).toBeUndefined();
  });
});

describe("logsCompactions", () => {
  it("is true up to 3.5, false from 3.6", () => {
    expect(logsCompactions("3.5.21")).toBe(true);
    expect(logsCompactions("3.4.23")).toBe(true);
    expect(logsCompactions("3.6.16")).toBe(false);
    expect(logsCompactions("3.7.3")).toBe(false);
  });
});

describe("catchUpEntries", () => {
  it("reads either spelling of the flag, else etcd's 5000", () => {
    expect(catchUpEntries(["--snapshot-count=10", "--snapshot-catchup-entries=10"])).toBe(10);
    expect(catchUpEntries(["--experimental-snapshot-catchup-entries=100"])).toBe(100);
    expect(catchUpEntries(["--snapshot-count=10"])).toBe(5000);
  });
});
