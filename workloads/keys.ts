// Which key an operation touches: uniform over the key space, or Zipf-skewed towards a few hot keys.
import type { Random } from "../harness/random.ts";
import type { KeyDistribution } from "../record/settings.ts";

export interface KeyPicker {
  /** Index of a key in [0, count), drawn from the caller's stream. */
  pick(random: Random): number;
  /** `count` distinct key indexes (count <= the number of keys). */
  pickDistinct(count: number, random: Random): number[];
}

/** Zipf exponent: key i is chosen with weight 1 / (i + 1)^s. */
const zipfExponent = 1;

export function keyPicker(keys: number, distribution: KeyDistribution): KeyPicker {
  const pick = distribution === "uniform" ? (random: Random) => random.below(keys) : zipfSampler(keys);
  return {
    pick,
    pickDistinct(count, random) {
      const chosen = new Set<number>();
      const wanted = Math.min(count, keys);
      while (chosen.size < wanted) chosen.add(pick(random));
      return [...chosen];
    },
  };
}

function zipfSampler(keys: number): (random: Random) => number {
  const cumulative = new Float64Array(keys);
  let total = 0;
  for (let i = 0; i < keys; i++) cumulative[i] = total += 1 / (i + 1) ** zipfExponent;
  return (random) => {
    const target = random.next() * total;
    let low = 0;
    let high = keys - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (cumulative[middle]! < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
}

/** What a transaction does to one key it touches: read it, write it, or read then write it (a third each). */
export type KeyAccess = "read" | "write" | "read-write";

/** The keys of one transaction, as the append and wr workloads shape them: 1-3 distinct keys, each with its access. */
export function transactionKeys(keys: KeyPicker, random: Random): { index: number; access: KeyAccess }[] {
  const accesses: KeyAccess[] = ["read", "write", "read-write"];
  return keys.pickDistinct(1 + random.below(3), random).map((index) => ({ index, access: accesses[random.below(3)]! }));
}
