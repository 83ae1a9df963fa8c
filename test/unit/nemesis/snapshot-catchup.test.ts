// blackhole-until-snapshot reads how far the leader compacted its raft log from etcd's own log lines.
import { describe, expect, it } from "vitest";
import { catchUpEntries, compactedIndex } from "../../../nemesis/snapshot-catchup.ts";

const line = (fields: Record<string, unknown>): string => JSON.stringify({ level: "info", ts: "2026-12-02T04:15:31.079728Z", ...fields });

describe("compactedIndex", () => {
  it("takes the highest compact-index etcd 3.5 logs, ignoring every other line", () => {
    const output = [
      line({ msg: "compacted Raft logs", "compact-index": 1 }),
      line({ msg: "compacted Raft logs", "compact-index": 1212 }),
      line({ msg: "saved snapshot", "snapshot-index": 9000 }),
      line({ msg: "skip compaction since there is an inflight snapshot" }),
      line({ msg: "compacted Raft logs", "compact-index": 954 }),
      "panic: something else",
    ].join("\n");
    expect(compactedIndex(output, 5000)).toBe(1212);
  });

  it("from 3.6 on, where compaction is logged at debug level only, takes the last snapshot less the catch-up entries, unless a snapshot in flight held compaction back since", () => {
    const snapshots = [line({ msg: "triggering snapshot" }), line({ msg: "saved snapshot to disk", "snapshot-index": 700 }), line({ msg: "saved snapshot to disk", "snapshot-index": 820 })];
    expect(compactedIndex(snapshots.join("\n"), 10)).toBe(810);
    expect(compactedIndex([...snapshots, line({ msg: "skip compaction since there is an inflight snapshot" })].join("\n"), 10)).toBeUndefined();
    expect(compactedIndex(snapshots.join("\n"), 5000)).toBeUndefined();
    expect(compactedIndex(line({ msg: "skip compaction since there is an inflight snapshot" }), 10)).toBeUndefined();
  });
});

describe("catchUpEntries", () => {
  it("reads either spelling of the flag, else etcd's 5000", () => {
    expect(catchUpEntries(["--snapshot-count=10", "--snapshot-catchup-entries=10"])).toBe(10);
    expect(catchUpEntries(["--experimental-snapshot-catchup-entries=100"])).toBe(100);
    expect(catchUpEntries(["--snapshot-count=10"])).toBe(5000);
  });
});
