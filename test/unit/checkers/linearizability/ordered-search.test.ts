// etcd histories whose answers carry revisions, searched in revision order: exact against the general search and brute force, and quick at the watch workload's scale.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { HistoryEntry } from "../../../../record/history/entry.ts";
import { checkHistory, etcdKvModel, type EtcdKvOptions } from "../../../../checkers/linearizability/index.ts";
import { bruteForceLinearizable } from "../../../support/linearizability/brute-force.ts";
import { etcdSpec, mutateHistory, seededRandom, simulateHistory } from "../../../support/linearizability/generators/index.ts";
import { plantViolation, watchLikeHistory, type PlantedKind } from "../../../support/linearizability/generators/watch-like.ts";

/** The etcd model searched without the revision order: the general search, for reference. */
const unordered = (options: EtcdKvOptions = {}) => ({ ...etcdKvModel(options), rank: undefined, impossible: undefined });

const planted: PlantedKind[] = ["stale-read", "lagging-read", "revisions-against-real-time"];

/** A generated history (watch-like or the etcd spec's) and the ways it can be made illegal, some of them. */
function variants(entries: HistoryEntry[], seed: number): HistoryEntry[][] {
  const random = seededRandom(seed);
  const shifted = entries.filter((e) => e.type === "ok" && e.revision !== undefined);
  const shift = shifted.length > 0 ? random.pick(shifted) : undefined;
  return [
    entries,
    ...planted.map((kind) => plantViolation(entries, kind)?.entries),
    mutateHistory(entries, "never-written", random)?.entries,
    mutateHistory(entries, "future-read", random)?.entries,
    // A revision one off: every ordering fact moves with it.
    shift && entries.map((e) => (e === shift ? { ...e, revision: e.revision! + (random.next() < 0.5 ? -1 : 1) } : e)),
  ].filter((h): h is HistoryEntry[] => h !== undefined);
}

const generated = (seed: number, operations: number, watchers: number) => [
  watchLikeHistory({ seed, operations, keys: 2 + (seed % 4), clients: 3 + (seed % 6), infoRate: [0, 0.05, 0.2][seed % 3], readShare: 0.3, watchers }),
  simulateHistory(etcdSpec, { seed, operations, keys: 1 + (seed % 3), clients: 2 + (seed % 5), infoRate: [0, 0.05, 0.2][seed % 3] }),
];

describe("the etcd model in revision order", () => {
  it("decides a watch-like history of 200k operations at 3000 ops/s valid, branching only where uncertain writes can go", { timeout: 120_000 }, () => {
    const entries = watchLikeHistory({ seed: 1, operations: 200_000, infoRate: 0.01, readShare: 0.05 });
    const result = checkHistory(entries, etcdKvModel(), { timeoutMs: 60_000 });
    expect(result.verdict).toBe("valid");
    expect(result.operations).toBeGreaterThan(199_000);
    expect(result.uncertain).toBeGreaterThan(1500);
    expect(result.partitions).toHaveLength(1);
    // One configuration per place an uncertain write may fill (or fail to), not one per operation.
    expect(result.partitions[0]!.configurations).toBeLessThan(10_000);
    // The goal is 10 s on a quiet machine (bench/checker.ts measures it); tests may share the machine.
    expect(result.elapsedMs).toBeLessThan(40_000);
  });

  it.each(planted)("finds a planted violation (%s) in a long history at once, and blocks the operation that shows it", { timeout: 60_000 }, (kind) => {
    const entries = watchLikeHistory({ seed: 2, operations: 40_000, infoRate: 0.01, readShare: 0.05 });
    const plant = plantViolation(entries, kind)!;
    const result = checkHistory(plant.entries, etcdKvModel(), { timeoutMs: 60_000 });
    expect(result.verdict, plant.proof).toBe("invalid");
    const bad = result.partitions[0]!;
    if (bad.verdict !== "invalid") throw new Error("not invalid");
    expect(bad.configurations).toBeLessThan(10_000);
    expect(bad.counterexample.prefix.length).toBeGreaterThan(10_000);
    if (kind !== "revisions-against-real-time") expect(bad.counterexample.blocked.f).toBe("get");
  });

  it("agrees with the general search on generated histories, legal and made illegal", { timeout: 120_000 }, () => {
    const seen = { valid: 0, invalid: 0 };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        for (const legal of generated(seed, 50, seed % 3)) {
          for (const entries of variants(legal, seed)) {
            const ordered = checkHistory(entries, etcdKvModel(), { timeoutMs: 5_000 }).verdict;
            const general = checkHistory(entries, unordered(), { timeoutMs: 5_000 }).verdict;
            // The general search may run out of time where the ordered one does not: only verdicts are compared.
            if (ordered === "unknown" || general === "unknown") continue;
            expect(ordered).toBe(general);
            seen[ordered]++;
          }
        }
      }),
      { numRuns: 150 },
    );
    expect(seen.valid).toBeGreaterThan(100);
    expect(seen.invalid).toBeGreaterThan(500);
  });

  it("agrees with brute force on small histories from a fresh store", { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        // The brute force starts from revision 1, as the generators do: the model is told so.
        for (const legal of generated(seed, 9, 0)) {
          for (const entries of variants(legal, seed)) {
            const expected = bruteForceLinearizable(entries, etcdSpec) ? "valid" : "invalid";
            expect(checkHistory(entries, etcdKvModel({ initialRevision: 1 })).verdict).toBe(expected);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it("leaves partitions with an answer that carries no revision to the general search, with the same verdict", () => {
    const entries = watchLikeHistory({ seed: 3, operations: 300, keys: 3, clients: 5, infoRate: 0.05, readShare: 0.3, watchers: 0 });
    const withoutOne = entries.map((e, i) => (i === entries.findIndex((x) => x.type === "ok" && x.f === "get") ? { ...e, revision: undefined } : e));
    const result = checkHistory(withoutOne, etcdKvModel());
    expect(result.verdict).toBe("valid");
    expect(result.verdict).toBe(checkHistory(withoutOne, unordered()).verdict);
  });
});
