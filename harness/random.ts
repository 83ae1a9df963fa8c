// A seeded pseudo-random source, so a run's choices (keys, values, targets) replay from its seed.

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, bound). */
  below(bound: number): number;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: small, fast and good enough for picking operations; not for cryptography. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const below = (bound: number): number => Math.floor(next() * bound);
  return {
    next,
    below,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[below(items.length)]!;
    },
  };
}

export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

/**
 * An independent stream split from a run's seed by what it is for ("fault", 2) or ("client", 3, 0): the
 * same seed and labels give the same numbers whatever else drew numbers before, so a fault picks the
 * same targets however many operations the workload ran first.
 */
export function randomStream(seed: number, ...labels: Array<string | number>): Random {
  // FNV-1a over the seed and the labels, then one round of mixing so close labels give distant seeds.
  let hash = 0x811c9dc5;
  for (const char of `${seed >>> 0}/${labels.join("/")}`) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return seededRandom(hash >>> 0);
}
