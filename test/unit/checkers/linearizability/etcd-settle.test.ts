// Uncertain etcd writes settled by the revisions recorded: placed where a read or watch saw them, dropped when every revision they could take is another's, and never a changed verdict.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { HistoryEntry } from "../../../../record/history/entry.ts";
import { checkHistory, etcdKvModel } from "../../../../checkers/linearizability/index.ts";
import { bruteForceLinearizable } from "../../../support/linearizability/brute-force.ts";
import { etcdSpec, mutateHistory, seededRandom, simulateHistory } from "../../../support/linearizability/generators/index.ts";

type Row = Omit<HistoryEntry, "index" | "time"> & { time?: number };

/** Rows in order, each at the next time unless it names one. */
function history(rows: Row[]): HistoryEntry[] {
  return rows.map((row, index) => ({ ...row, index, time: row.time ?? index }));
}

const put = (process: number, key: string, value: string, revision?: number): Row[] => [
  { process, type: "invoke", f: "put", key, value },
  revision === undefined ? { process, type: "info", f: "put", key, value } : { process, type: "ok", f: "put", key, value, revision },
];
const get = (process: number, key: string, value: string, modRevision: number, revision: number): Row[] => [
  { process, type: "invoke", f: "get", key },
  { process, type: "ok", f: "get", key, value: { value, modRevision }, revision },
];
const watch = (process: number, events: { key: string; value: string; modRevision: number }[]): Row[] => [
  { process, type: "invoke", f: "watch", key: "", value: { fromRevision: 1 } },
  { process, type: "ok", f: "watch", key: "", value: { fromRevision: 1, events: events.map((event) => ({ type: "put", ...event })) } },
];

/** The etcd model without settling, to compare verdicts with. */
const unsettled = () => ({ ...etcdKvModel(), settle: undefined });

describe("settling uncertain etcd writes", () => {
  it("places an uncertain put at the revision a watch event showed its value at", () => {
    const entries = history([...put(0, "a", "1", 2), ...put(1, "b", "x"), ...put(0, "a", "2", 4), ...watch(2, [{ key: "b", value: "x", modRevision: 3 }])]);
    const result = checkHistory(entries, etcdKvModel());
    expect(result.verdict).toBe("valid");
    expect(result.settled).toEqual({ placed: 1, dropped: 0, unread: 0 });
    // Placed at 3, it cannot also have been written at 5: a read saying so is refuted.
    const contradicted = history([...put(0, "a", "1", 2), ...put(1, "b", "x"), ...put(0, "a", "2", 4), ...get(0, "b", "x", 5, 5), ...watch(2, [{ key: "b", value: "x", modRevision: 3 }])]);
    expect(checkHistory(contradicted, etcdKvModel()).verdict).toBe("invalid");
  });

  it("drops uncertain writes when every revision above what was answered before them is taken, and keeps them when one is free", () => {
    const taken = history([...put(0, "a", "1", 2), ...put(1, "b", "x"), ...put(2, "c", "y"), ...put(0, "a", "2", 3), ...put(0, "a", "3", 4)]);
    const result = checkHistory(taken, etcdKvModel());
    expect(result.verdict).toBe("valid");
    expect(result.settled).toEqual({ placed: 0, dropped: 2, unread: 0 });
    // Revision 4 free (the next put answered 5): one of them may have taken it, so both stay, their
    // values (read by nobody) replaced by one placeholder.
    const free = history([...put(0, "a", "1", 2), ...put(1, "b", "x"), ...put(2, "c", "y"), ...put(0, "a", "2", 3), ...put(0, "a", "3", 5)]);
    const kept = checkHistory(free, etcdKvModel());
    expect(kept.verdict).toBe("valid");
    expect(kept.settled).toEqual({ placed: 0, dropped: 0, unread: 2 });
  });

  it("drops nothing when some answer carries no revision: that operation could have seen the write", () => {
    const rows = [...put(0, "a", "1", 2), ...put(1, "b", "x"), ...put(0, "a", "2", 3)];
    const noRevision: Row[] = [
      { process: 3, type: "invoke", f: "get", key: "b" },
      { process: 3, type: "ok", f: "get", key: "b", value: "x" },
    ];
    const result = checkHistory(history([...rows, ...noRevision]), etcdKvModel());
    expect(result.verdict).toBe("valid");
    expect(result.settled).toEqual({ placed: 0, dropped: 0, unread: 0 });
  });

  it("makes uncertain puts to one key that nobody read interchangeable, so a crash's many of them cost the search little", () => {
    // 60 uncertain puts to a and b, then 30 revisions free among answered writes to c: any 30 of them fit.
    const rows: Row[] = [...put(0, "c", "0", 2)];
    for (let i = 0; i < 60; i++) rows.push(...put(1 + i, i % 2 === 0 ? "a" : "b", `u${i}`));
    for (let i = 0; i < 30; i++) rows.push(...put(0, "c", `c${i}`, 3 + 2 * i));
    const result = checkHistory(history(rows), etcdKvModel(), { timeoutMs: 20_000 });
    expect(result.verdict).toBe("valid");
    expect(result.settled).toEqual({ placed: 0, dropped: 0, unread: 60 });
    expect(result.partitions[0]!.configurations).toBeLessThan(10_000);
    // A value read (or compared) keeps its put apart: the search must then place that very put.
    const read = [...rows, ...get(0, "a", "u10", 4, 62)];
    expect(checkHistory(history(read), etcdKvModel(), { timeoutMs: 20_000 }).settled?.unread).toBe(59);
  });

  it("counts each key's puts by the versions answers show, so uncertain puts land on the keys that need them", () => {
    // 8 keys written once each, 12 uncertain puts to each, 12 revisions nobody answered, then each key written
    // again with a read showing its version: all 12 went to k7, which the search tries last of all.
    const keys = ["k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"];
    const rows: Row[] = keys.flatMap((key, i) => put(0, key, `${key}-first`, 2 + i));
    for (let i = 0; i < 96; i++) rows.push(...put(1 + i, keys[i % keys.length]!, `u${i}`));
    const after = 2 + keys.length + 12;
    rows.push(...keys.flatMap((key, i) => put(0, key, `${key}-after`, after + i)));
    const reads = (k7Puts: number): Row[] =>
      keys.flatMap((key, i) => [
        { process: 0, type: "invoke" as const, f: "get", key },
        { process: 0, type: "ok" as const, f: "get", key, value: { value: `${key}-after`, modRevision: after + i, version: key === "k7" ? 2 + k7Puts : 2 }, revision: after + keys.length - 1 },
      ]);
    const fits = checkHistory(history([...rows, ...reads(12)]), etcdKvModel(), { timeoutMs: 20_000 });
    expect(fits.verdict).toBe("valid");
    expect(fits.partitions[0]!.configurations).toBeLessThan(1_000);
    // 13 puts to k7 in 12 revisions cannot be, and the search says so at once.
    const tooMany = checkHistory(history([...rows, ...reads(13)]), etcdKvModel(), { timeoutMs: 20_000 });
    expect(tooMany.verdict).toBe("invalid");
    expect(tooMany.partitions[0]!.configurations).toBeLessThan(1_000);
    // A watch's events give the same versions, for writes whose revision an answer gave; an uncertain put a
    // watch saw is placed at its revision.
    const events = keys.map((key, i) => ({ key, value: `${key}-after`, modRevision: after + i, version: key === "k7" ? 14 : 2 }));
    const watched = checkHistory(history([...rows, ...watch(200, events)]), etcdKvModel(), { timeoutMs: 20_000 });
    expect(watched.verdict).toBe("valid");
    expect(watched.partitions[0]!.configurations).toBeLessThan(1_000);
    const unanswered = [...rows.slice(0, -2), ...put(0, "k7", "k7-after"), ...watch(200, events)];
    expect(checkHistory(history(unanswered), etcdKvModel(), { timeoutMs: 20_000 }).settled?.placed).toBe(1);
  });

  it("never changes a verdict: generated histories, legal and mutated, check the same with and without settling", () => {
    let settledAny = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.constantFrom("none", "never-written", "future-read"), (seed, kind) => {
        const legal = simulateHistory(etcdSpec, { seed, operations: 60, keys: 2, clients: 4, infoRate: 0.3 });
        const entries = kind === "none" ? legal : mutateHistory(legal, kind, seededRandom(seed))?.entries;
        fc.pre(entries !== undefined);
        const settled = checkHistory(entries!, etcdKvModel(), { timeoutMs: 20_000 });
        settledAny += (settled.settled?.placed ?? 0) + (settled.settled?.dropped ?? 0) + (settled.settled?.unread ?? 0);
        expect(settled.verdict).toBe(checkHistory(entries!, unsettled(), { timeoutMs: 20_000 }).verdict);
      }),
      { numRuns: 200 },
    );
    // The property is not vacuous: settling did act on these histories.
    expect(settledAny).toBeGreaterThan(50);
  });

  it("agrees with brute force on small histories with many uncertain writes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const entries = simulateHistory(etcdSpec, { seed, operations: 8, keys: 2, clients: 3, infoRate: 0.4 });
        for (const candidate of [entries, mutateHistory(entries, "future-read", seededRandom(seed))?.entries]) {
          if (candidate === undefined) continue;
          expect(checkHistory(candidate, etcdKvModel()).verdict).toBe(bruteForceLinearizable(candidate, etcdSpec) ? "valid" : "invalid");
        }
      }),
      { numRuns: 300 },
    );
  });
});
