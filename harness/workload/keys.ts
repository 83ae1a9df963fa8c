// Which key an operation touches: uniform over the key space, or Zipf-skewed towards a few hot keys.
import type { Random } from "../random.ts";
import type { KeyDistribution } from "./workload.ts";

export interface KeyPicker {
  /** Index of a key in [0, count). */
  pick(): number;
  /** `count` distinct key indexes (count <= the number of keys). */
  pickDistinct(count: number): number[];
}

/** Zipf exponent: key i is chosen with weight 1 / (i + 1)^s. */
const zipfExponent = 1;

export function keyPicker(keys: number, distribution: KeyDistribution, random: Random): KeyPicker {
  const pick =
    distribution === "uniform"
      ? () => random.below(keys)
      : zipfSampler(keys, random);
  return {
    pick,
    pickDistinct(count) {
      const chosen = new Set<number>();
      const wanted = Math.min(count, keys);
      while (chosen.size < wanted) chosen.add(pick());
      return [...chosen];
    },
  };
}

function zipfSampler(keys: number, random: Random): () => number {
  const cumulative = new Float64Array(keys);
  let total = 0;
  for (let i = 0; i < keys; i++) cumulative[i] = total += 1 / (i + 1) ** zipfExponent;
  return () => {
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
