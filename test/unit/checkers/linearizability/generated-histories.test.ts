// Generated histories: linearizable by construction must check valid, provably illegal mutations invalid,
// for every model, and the brute-force enumerator must agree on the small ones.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bruteForceLinearizable } from "../../../support/linearizability/brute-force.ts";
import {
  etcdSpec,
  kvSpec,
  mutateHistory,
  registerSpec,
  seededRandom,
  simulateHistory,
  type MutationKind,
  type Spec,
} from "../../../support/linearizability/generators/index.ts";
import { checkHistory, etcdKvModel, kvModel, registerModel, type HistoryModel } from "../../../../checkers/linearizability/index.ts";

type AnyModelFactory = () => HistoryModel<unknown, unknown, unknown>;

const cases: { spec: Spec<unknown>; model: AnyModelFactory; infoRate: number; mutations: MutationKind[] }[] = [
  { spec: registerSpec as Spec<unknown>, model: registerModel as never, infoRate: 0.1, mutations: ["never-written", "future-read", "stale-read"] },
  // Uncertain appends multiply the orders to try: fewer of them keeps illegal histories quick to refute.
  { spec: kvSpec as Spec<unknown>, model: kvModel as never, infoRate: 0.02, mutations: ["never-written", "future-read"] },
  { spec: etcdSpec as Spec<unknown>, model: etcdKvModel as never, infoRate: 0.1, mutations: ["never-written", "future-read"] },
];

const seeds = fc.integer({ min: 1, max: 2 ** 31 - 1 });

describe.each(cases)("$spec.name histories", ({ spec, model, infoRate, mutations }) => {
  it("linearizable by construction checks valid", () => {
    fc.assert(
      fc.property(seeds, fc.integer({ min: 1, max: 6 }), (seed, keys) => {
        const entries = simulateHistory(spec, { seed, operations: 200, keys, clients: 5, infoRate });
        expect(checkHistory(entries, model(), { timeoutMs: 20_000 }).verdict).toBe("valid");
      }),
      { numRuns: 60 },
    );
  });

  it("provably illegal mutations check invalid", () => {
    fc.assert(
      fc.property(seeds, fc.constantFrom(...mutations), (seed, kind) => {
        const entries = simulateHistory(spec, { seed, operations: 150, keys: 3, clients: 5, infoRate });
        const mutation = mutateHistory(entries, kind, seededRandom(seed));
        fc.pre(mutation !== undefined);
        const result = checkHistory(mutation!.entries, model(), { timeoutMs: 20_000 });
        expect(result.verdict, mutation!.proof).toBe("invalid");
      }),
      { numRuns: 100 },
    );
  });

  it("brute force agrees on small generated and mutated histories", () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const entries = simulateHistory(spec, { seed, operations: 8, keys: 2, clients: 3, infoRate: 0.2 });
        expect(bruteForceLinearizable(entries, spec)).toBe(true);
        for (const kind of mutations) {
          const mutation = mutateHistory(entries, kind, seededRandom(seed));
          if (mutation === undefined) continue;
          expect(bruteForceLinearizable(mutation.entries, spec)).toBe(false);
          expect(checkHistory(mutation.entries, model()).verdict).toBe("invalid");
        }
      }),
      { numRuns: 300 },
    );
  });
});
