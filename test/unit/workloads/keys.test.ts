// Key choice: uniform spreads evenly, zipf favours the first keys, distinct picks never repeat.
import { describe, expect, it } from "vitest";
import { keyPicker } from "../../../workloads/keys.ts";
import { prefixEnd } from "../../../workloads/etcd-ops.ts";
import { seededRandom } from "../../../harness/random.ts";

function histogram(distribution: "uniform" | "zipf", keys: number, draws: number): number[] {
  const picker = keyPicker(keys, distribution);
  const random = seededRandom(11);
  const counts = new Array<number>(keys).fill(0);
  for (let i = 0; i < draws; i++) counts[picker.pick(random)]!++;
  return counts;
}

describe("keyPicker", () => {
  it("spreads uniform picks evenly", () => {
    const counts = histogram("uniform", 10, 20_000);
    for (const count of counts) expect(count).toBeGreaterThan(1700);
  });

  it("skews zipf picks towards the first keys, with weight 1/(i+1)", () => {
    const counts = histogram("zipf", 10, 20_000);
    expect(counts[0]! / counts[1]!).toBeGreaterThan(1.7);
    expect(counts[0]! / counts[1]!).toBeLessThan(2.3);
    expect(counts[0]!).toBeGreaterThan(5 * counts[9]!);
  });

  it("picks distinct keys, never more than there are", () => {
    const picker = keyPicker(3, "zipf");
    const random = seededRandom(5);
    for (let i = 0; i < 100; i++) expect(new Set(picker.pickDistinct(3, random)).size).toBe(3);
    expect(picker.pickDistinct(7, random)).toHaveLength(3);
  });
});

describe("prefixEnd", () => {
  it("is the smallest key after every key with the prefix", () => {
    expect(prefixEnd("/registry/pods/")).toBe("/registry/pods0");
    expect(prefixEnd("a")).toBe("b");
  });
});
