// The quota fill's plan: where the quota comes from, when to stop filling, and how the fill is judged.
import { describe, expect, it } from "vitest";
import type { Storage } from "../../../harness/cluster/member-storage.ts";
import { judgeFill, nextFillStep, quotaBytesOf, type FillResult } from "../../../nemesis/quota-fill.ts";

const MiB = 1024 * 1024;
const KiB = 1024;
const storage = (member: string, dbSize: number): Storage => ({ member, dbSize, dbSizeInUse: dbSize, revision: 10 });
const options = { quotaBytes: 16 * MiB, chunkBytes: 256 * KiB, marginBytes: 512 * KiB };

describe("quotaBytesOf", () => {
  it("reads --quota-backend-bytes in either form", () => {
    expect(quotaBytesOf(["--quota-backend-bytes=16777216"])).toBe(16 * MiB);
    expect(quotaBytesOf(["--snapshot-count=5", "--quota-backend-bytes", "1024"])).toBe(1024);
    expect(quotaBytesOf(["--quota-backend-bytes=lots"])).toBeUndefined();
    expect(quotaBytesOf([])).toBeUndefined();
  });
});

describe("nextFillStep", () => {
  it("fills while the fullest member surely has room for a chunk and the margin", () => {
    expect(nextFillStep([storage("n1", 1 * MiB), storage("n2", 14 * MiB)], options)).toEqual({ kind: "fill", bytes: 256 * KiB });
  });

  it("counts what it wrote since the sizes were read, with room to spare, and reads them again when that might not fit", () => {
    const storages = [storage("n1", 10 * MiB), storage("n2", 12 * MiB)];
    expect(nextFillStep(storages, options, 2 * MiB)).toEqual({ kind: "fill", bytes: 256 * KiB });
    // 4 MiB left, 3 MiB written since: counted as 3.75 MiB, which leaves less than a chunk and the margin.
    expect(nextFillStep(storages, options, 3 * MiB)).toEqual({ kind: "settle" });
  });

  it("ends, on fresh sizes only, with one write larger than the fullest member's remaining space, sent to that member", () => {
    const storages = [storage("n1", 15 * MiB), storage("n2", 15.4 * MiB), storage("n3", 14 * MiB)];
    expect(nextFillStep(storages, options, 256 * KiB)).toEqual({ kind: "settle" });
    const step = nextFillStep(storages, options);
    expect(step.kind).toBe("last");
    if (step.kind !== "last") return;
    expect(step.via).toBe("n2");
    expect(step.bytes).toBeGreaterThan(16 * MiB - 15.4 * MiB);
    expect(step.bytes).toBeLessThan(1.5 * MiB);
  });
});

describe("judgeFill", () => {
  const result = (overrides: Partial<FillResult>): FillResult => ({
    puts: 56,
    bytesWritten: 56 * 256 * KiB,
    ms: 3000,
    last: { via: "n2", bytes: 572 * KiB, error: "database space exceeded" },
    storages: [storage("n1", 15.8 * MiB), storage("n2", 15.9 * MiB), storage("n3", 15.1 * MiB)],
    raisedBy: ["n2"],
    listedBy: ["n1", "n2", "n3"],
    ...overrides,
  });

  it("took effect when every member lists NOSPACE, and says no write was applied past the quota", () => {
    const effect = judgeFill(result({}), options, ["n1", "n2", "n3"]);
    expect(effect.held).toBe(true);
    expect(effect.what).toMatch(/^NOSPACE raised by n2 after 56 puts of 256 KiB \(14.7 MB\) in 3.0s and a last write of 572 KiB through n2; backends n1 16.6 MB, n2 16.7 MB, n3 15.8 MB of a 16.8 MB quota; every backend stayed below the quota \(the fullest, n2, by 105 KB\), so no write was applied past it$/);
  });

  it("warns when a member reached the quota or raised the alarm while applying", () => {
    const effect = judgeFill(result({ raisedBy: ["n3"], storages: [storage("n1", 16 * MiB), storage("n2", 15 * MiB), storage("n3", 15 * MiB)] }), options, ["n1", "n2", "n3"]);
    expect(effect.held).toBe(true);
    expect(effect.what).toMatch(/n1 reached the quota; n3 raised it while applying a write: a write answered "database space exceeded" may have been applied/);
  });

  it("did not take effect when a member does not list the alarm", () => {
    const effect = judgeFill(result({ listedBy: ["n1", "n2"] }), options, ["n1", "n2", "n3"]);
    expect(effect).toEqual({ kind: "measured", held: false, what: expect.stringMatching(/NOSPACE was not listed by n3/) });
  });
});
