// Storage damage in pure logic: which file, which bytes, why etcd exited, and the corruption checker's account and verdict.
import { describe, expect, it } from "vitest";
import { corruptionChecker } from "../../../checkers/corruption.ts";
import { corruptionCheckFlags } from "../../../harness/cluster/member-flags.ts";
import { exitReasonIn } from "../../../nemesis/etcd-exit.ts";
import { fileToDamage, flipBits, truncateTail, writtenLength } from "../../../nemesis/storage-damage.ts";
import type { FaultRecord } from "../../../record/fault.ts";
import type { RecordedRun } from "../../../record/run.ts";

const files = [
  { path: "member/snap/0000000000000002-00000000000003e9.snap", bytes: 9000 },
  { path: "member/snap/0000000000000002-00000000000007d1.snap", bytes: 9100 },
  { path: "member/snap/db", bytes: 1 << 20 },
  { path: "member/wal/0000000000000000-0000000000000000.wal", bytes: 64 << 20 },
  { path: "member/wal/0000000000000001-0000000000000851.wal", bytes: 64 << 20 },
  { path: "member/wal/0.tmp", bytes: 64 << 20 },
];

describe("the file a storage fault damages", () => {
  it("is the newest WAL segment, the newest raft snapshot, or the database", () => {
    expect(fileToDamage(files, "wal")?.path).toBe("member/wal/0000000000000001-0000000000000851.wal");
    expect(fileToDamage(files, "snap")?.path).toBe("member/snap/0000000000000002-00000000000007d1.snap");
    expect(fileToDamage(files, "db")?.path).toBe("member/snap/db");
    expect(fileToDamage(files.filter((file) => !file.path.endsWith(".snap")), "snap")).toBeUndefined();
  });
});

describe("the bytes it damages", () => {
  // A preallocated segment: 100 KiB written, then zeros.
  const segment = Buffer.alloc(1 << 20);
  segment.fill(0xab, 0, 100 * 1024);

  it("flips one bit in each of n bytes of the written part, the same ones each time", () => {
    expect(writtenLength(segment)).toBe(100 * 1024);
    const { content, offsets } = flipBits(segment, "wal", 8);
    expect(offsets).toHaveLength(8);
    expect(offsets.every((offset) => offset >= 100 * 1024 - 64 * 1024 && offset < 100 * 1024)).toBe(true);
    const changed = [...content.keys()].filter((index) => content[index] !== segment[index]);
    expect(changed).toEqual(offsets);
    for (const offset of offsets) expect(content[offset]! ^ segment[offset]!).toBe(1 << (offset % 8));
    expect(flipBits(segment, "wal", 8).offsets).toEqual(offsets);
    expect(flipBits(segment, "db", 4).offsets.every((offset) => offset >= 8192)).toBe(true);
    expect(flipBits(Buffer.alloc(4096), "wal", 8).offsets).toEqual([]);
  });

  it("cuts the last written bytes, and the zeros after them", () => {
    expect(truncateTail(segment, 512)).toMatchObject({ cutAt: 100 * 1024 - 512, written: 100 * 1024 });
    expect(truncateTail(segment, 512).content.length).toBe(100 * 1024 - 512);
  });
});

describe("why etcd exited", () => {
  it("is its last fatal or panic log entry, or Go's panic", () => {
    const log = [
      '{"level":"info","msg":"opened backend db"}',
      '{"level":"fatal","ts":"2026-12-02T01:00:00Z","caller":"etcdserver/storage.go:106","msg":"failed to read WAL","error":"walpb: crc mismatch"}',
      "goroutine 1 [running]:",
    ].join("\n");
    expect(exitReasonIn(log)).toBe("failed to read WAL: walpb: crc mismatch");
    expect(exitReasonIn("panic: assertion failed: Page expected to be: 7, but self identifies as 0\n\ngoroutine 1")).toBe("panic: assertion failed: Page expected to be: 7, but self identifies as 0");
    expect(exitReasonIn('{"level":"info","msg":"serving"}')).toBeUndefined();
  });
});

describe("etcd's corruption checks", () => {
  it("are spelled as each release has them", () => {
    expect(corruptionCheckFlags("3.4.23")).toEqual(["--experimental-initial-corrupt-check=true", "--experimental-corrupt-check-time=5s"]);
    expect(corruptionCheckFlags("3.5.35")).toContain("--experimental-compact-hash-check-enabled=true");
    expect(corruptionCheckFlags("3.7.3+failpoints")).toEqual(["--feature-gates=InitialCorruptCheck=true,CompactHashCheck=true", "--corrupt-check-time=5s", "--compact-hash-check-time=10s"]);
  });
});

describe("the corruption checker", () => {
  const fault = (details: Record<string, unknown>, name = "bitflip"): FaultRecord => ({
    step: 0,
    fault: name,
    selector: "follower",
    targets: ["n2"],
    params: {},
    start: 1e9,
    effective: 2e9,
    healStart: 5e9,
    end: 6e9,
    details,
    signs: [],
  });
  const run = (faults: FaultRecord[]): RecordedRun => ({ history: [], statuses: [], faults, probes: {}, members: ["n1", "n2", "n3"], settings: {} as RecordedRun["settings"] });
  const refused = { damaged: true, file: "member/wal/1.wal", what: "flipped 8 bits in member/wal/1.wal", outcome: "refused-to-start", reason: "failed to read WAL: crc mismatch", healedBy: "replaced: 1 -> 2" };
  const rejoined = { damaged: true, file: "member/snap/db", what: "flipped 8 bits in member/snap/db", outcome: "rejoined", hashKV: { revision: 900, hashes: { n1: 7, n2: 7, n3: 7 } } };

  it("accounts for each fault and is valid when etcd refused the damage or took the member back with the same data", () => {
    const result = corruptionChecker.check(run([fault(refused), fault(rejoined), fault({ ...refused, outcome: "corrupt-alarm", alarms: ["n2"] }, "wal-truncate")]));
    expect(result.verdict).toBe("valid");
    expect(result.summary).toBe(
      "bitflip of n2 (flipped 8 bits in member/wal/1.wal): etcd refused to start: failed to read WAL: crc mismatch; replaced: 1 -> 2; " +
        "bitflip of n2 (flipped 8 bits in member/snap/db): n2 started and rejoined with the same HashKV as the others at revision 900; " +
        "wal-truncate of n2 (flipped 8 bits in member/wal/1.wal): etcd raised the CORRUPT alarm for n2; replaced: 1 -> 2",
    );
  });

  it("is invalid when a damaged member came back with different data, and unknown when nothing was damaged", () => {
    const diverged = corruptionChecker.check(run([fault({ ...rejoined, outcome: "diverged", hashKV: { revision: 900, hashes: { n1: 7, n2: 8, n3: 7 } } })]));
    expect(diverged.verdict).toBe("invalid");
    expect(diverged.anomalies[0]).toMatchObject({ kind: "served-diverged-data", members: ["n2"], from: 2e9, to: 5e9 });
    expect(corruptionChecker.check(run([fault({ damaged: false, file: "snap", why: "n2 has no snap file yet" })])).verdict).toBe("unknown");
  });
});
