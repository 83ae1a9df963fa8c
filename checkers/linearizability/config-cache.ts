// The search's memory of explored configurations (linearized set, model state), with subsumption of uncertain ops.
import type { AnyModel } from "./model.ts";

/**
 * A configuration is a bitset over the partition's operations plus a model state. The bitset has two parts:
 * `requiredWords` words for operations with a known outcome, then `optionalWords` words for operations with
 * an unknown outcome. Those may also never take effect, so a configuration that linearized a subset of the
 * optional operations (same required set, same state) can do everything a superset can: the superset is
 * subsumed and need not be explored. The caller's hash covers the required part and the state only, so
 * subsuming configurations share a chain.
 */
export class ConfigCache {
  readonly #model: AnyModel;
  readonly #requiredWords: number;
  readonly #words: number;
  #heads: Int32Array;
  #mask: number;
  #hashes: Int32Array;
  #nexts: Int32Array;
  #states: unknown[] = [];
  #bits: Uint32Array;
  #size = 0;

  constructor(model: AnyModel, requiredWords: number, optionalWords: number) {
    this.#model = model;
    this.#requiredWords = requiredWords;
    this.#words = requiredWords + optionalWords;
    const capacity = 1024;
    this.#heads = new Int32Array(capacity).fill(-1);
    this.#mask = capacity - 1;
    this.#hashes = new Int32Array(capacity);
    this.#nexts = new Int32Array(capacity);
    this.#bits = new Uint32Array(capacity * Math.max(1, this.#words));
  }

  get size(): number {
    return this.#size;
  }

  /** Bytes held by the arrays (states not counted). */
  get bytes(): number {
    return this.#bits.byteLength + this.#hashes.byteLength * 2 + this.#heads.byteLength + this.#states.length * 8;
  }

  /** Adds the configuration and returns true, or returns false when it (or one subsuming it) is known. */
  addIfNew(hash: number, bits: Uint32Array, state: unknown): boolean {
    const words = this.#words;
    const required = this.#requiredWords;
    const store = this.#bits;
    const slot = (hash ^ (hash >>> 15)) & this.#mask;
    for (let e = this.#heads[slot]!; e !== -1; e = this.#nexts[e]!) {
      if (this.#hashes[e] !== hash) continue;
      const base = e * words;
      let w = 0;
      while (w < required && store[base + w] === bits[w]) w++;
      if (w < required) continue;
      while (w < words && (store[base + w]! & ~bits[w]!) === 0) w++;
      if (w < words) continue;
      if (this.#model.equal(this.#states[e], state)) return false;
    }
    this.#append(hash, bits, state);
    return true;
  }

  #append(hash: number, bits: Uint32Array, state: unknown): void {
    const e = this.#size;
    if (e === this.#hashes.length) this.#grow();
    this.#hashes[e] = hash;
    this.#states[e] = state;
    this.#bits.set(bits, e * this.#words);
    const s = (hash ^ (hash >>> 15)) & this.#mask;
    this.#nexts[e] = this.#heads[s]!;
    this.#heads[s] = e;
    this.#size = e + 1;
  }

  #grow(): void {
    const capacity = this.#hashes.length * 2;
    const hashes = new Int32Array(capacity);
    hashes.set(this.#hashes);
    this.#hashes = hashes;
    this.#nexts = new Int32Array(capacity);
    const bits = new Uint32Array(capacity * Math.max(1, this.#words));
    bits.set(this.#bits);
    this.#bits = bits;
    this.#heads = new Int32Array(capacity).fill(-1);
    this.#mask = capacity - 1;
    for (let e = 0; e < this.#size; e++) {
      const h = hashes[e]!;
      const s = (h ^ (h >>> 15)) & this.#mask;
      this.#nexts[e] = this.#heads[s]!;
      this.#heads[s] = e;
    }
  }
}
