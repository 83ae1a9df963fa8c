// Property: on small random histories (several keys, ok/fail/info/open outcomes) the WGL checker agrees
// with an exhaustive enumeration of every order of every subset of uncertain operations.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bruteForceLinearizable } from "../../../support/linearizability/brute-force.ts";
import { kvSpec, registerSpec, type Spec } from "../../../support/linearizability/generators/index.ts";
import { checkHistory, kvModel, registerModel, type HistoryModel } from "../../../../checkers/linearizability/index.ts";
import type { HistoryEntry } from "../../../../record/history/entry.ts";
import { kvHistory, registerHistory } from "./random-histories.ts";

function agreement(arbitrary: fc.Arbitrary<HistoryEntry[]>, makeModel: () => HistoryModel<unknown, unknown, unknown>, spec: Spec<unknown>) {
  const seen = { valid: 0, invalid: 0 };
  fc.assert(
    fc.property(arbitrary, (entries) => {
      const expected = bruteForceLinearizable(entries, spec) ? "valid" : "invalid";
      const actual = checkHistory(entries, makeModel()).verdict;
      seen[expected]++;
      expect(actual).toBe(expected);
    }),
    { numRuns: 10_000 },
  );
  return seen;
}

describe("WGL checker against brute force", () => {
  it("agrees on register histories", () => {
    const seen = agreement(registerHistory, registerModel as never, registerSpec as Spec<unknown>);
    // Both verdicts must be common, or the property proves little.
    expect(seen.valid).toBeGreaterThan(300);
    expect(seen.invalid).toBeGreaterThan(300);
  });

  it("agrees on kv histories", () => {
    const seen = agreement(kvHistory, kvModel as never, kvSpec as Spec<unknown>);
    expect(seen.valid).toBeGreaterThan(300);
    expect(seen.invalid).toBeGreaterThan(300);
  });
});
