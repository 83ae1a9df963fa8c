// The dependency graph between transactions: typed edges kept in flat typed arrays, then packed by source node.

/** Edge kinds, as bits so a search can allow a set of them. */
export const WW = 1;
export const WR = 2;
export const RW = 4;
export const PROCESS = 8;
export const REALTIME = 16;
export const DEPENDENCIES = WW | WR | RW;
export const EVERY_EDGE = DEPENDENCIES | PROCESS | REALTIME;

export type EdgeKind = typeof WW | typeof WR | typeof RW | typeof PROCESS | typeof REALTIME;

export const edgeNames: Record<EdgeKind, string> = { [WW]: "ww", [WR]: "wr", [RW]: "rw", [PROCESS]: "process", [REALTIME]: "realtime" };

/**
 * Collects edges before packing. Besides its ends and kind, a dependency edge keeps the micro-operations
 * that prove it (indexes into each transaction's ops), so an explanation can be written for the few
 * edges a cycle uses without keeping words for the millions it does not.
 */
export class GraphBuilder {
  #from: Int32Array;
  #to: Int32Array;
  #kind: Uint8Array;
  #fromOp: Int32Array;
  #toOp: Int32Array;
  #count = 0;
  readonly nodes: number;

  /** `capacity`: edges expected; sized well, the arrays are not copied as they fill (each copy of big arrays costs a full collection). */
  constructor(nodes: number, capacity = 1024) {
    this.nodes = nodes;
    const size = Math.max(16, capacity);
    this.#from = new Int32Array(size);
    this.#to = new Int32Array(size);
    this.#kind = new Uint8Array(size);
    this.#fromOp = new Int32Array(size);
    this.#toOp = new Int32Array(size);
  }

  get edges(): number {
    return this.#count;
  }

  add(from: number, to: number, kind: EdgeKind, fromOp = -1, toOp = -1): void {
    if (from === to) return;
    if (this.#count === this.#from.length) this.#grow();
    const i = this.#count++;
    this.#from[i] = from;
    this.#to[i] = to;
    this.#kind[i] = kind;
    this.#fromOp[i] = fromOp;
    this.#toOp[i] = toOp;
  }

  #grow(): void {
    const size = Math.ceil(this.#from.length * 1.5);
    const grow = <T extends Int32Array | Uint8Array>(array: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(array);
      return next;
    };
    this.#from = grow(this.#from, (n) => new Int32Array(n));
    this.#to = grow(this.#to, (n) => new Int32Array(n));
    this.#kind = grow(this.#kind, (n) => new Uint8Array(n));
    this.#fromOp = grow(this.#fromOp, (n) => new Int32Array(n));
    this.#toOp = grow(this.#toOp, (n) => new Int32Array(n));
  }

  /** Packs the edges by source (compressed sparse rows); the builder is spent afterwards. */
  build(): Graph {
    const n = this.nodes;
    const count = this.#count;
    const offsets = new Int32Array(n + 1);
    for (let i = 0; i < count; i++) offsets[this.#from[i]! + 1]!++;
    for (let v = 0; v < n; v++) offsets[v + 1]! += offsets[v]!;
    const fill = offsets.slice(0, n);
    const edgeAt = new Int32Array(count);
    for (let i = 0; i < count; i++) edgeAt[fill[this.#from[i]!]!++] = i;
    const targets = new Int32Array(count);
    const kinds = new Uint8Array(count);
    for (let slot = 0; slot < count; slot++) {
      const i = edgeAt[slot]!;
      targets[slot] = this.#to[i]!;
      kinds[slot] = this.#kind[i]!;
    }
    return new Graph(n, offsets, targets, kinds, edgeAt, this.#from.subarray(0, count), this.#fromOp.subarray(0, count), this.#toOp.subarray(0, count));
  }
}

export interface Edge {
  from: number;
  to: number;
  kind: EdgeKind;
  /** Index into the source's and target's ops of the micro-operations that prove it; -1 when none does. */
  fromOp: number;
  toOp: number;
}

export class Graph {
  readonly nodes: number;
  /** Out-edges of node v are slots offsets[v] .. offsets[v + 1] - 1. */
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  readonly kinds: Uint8Array;
  /** The edge each slot holds, as added. */
  readonly edgeAt: Int32Array;
  readonly #sources: Int32Array;
  readonly #fromOps: Int32Array;
  readonly #toOps: Int32Array;

  constructor(nodes: number, offsets: Int32Array, targets: Int32Array, kinds: Uint8Array, edgeAt: Int32Array, sources: Int32Array, fromOps: Int32Array, toOps: Int32Array) {
    this.nodes = nodes;
    this.offsets = offsets;
    this.targets = targets;
    this.kinds = kinds;
    this.edgeAt = edgeAt;
    this.#sources = sources;
    this.#fromOps = fromOps;
    this.#toOps = toOps;
  }

  get edges(): number {
    return this.targets.length;
  }

  sourceOf(slot: number): number {
    return this.#sources[this.edgeAt[slot]!]!;
  }

  edge(slot: number): Edge {
    const i = this.edgeAt[slot]!;
    return { from: this.#sources[i]!, to: this.targets[slot]!, kind: this.kinds[slot]! as EdgeKind, fromOp: this.#fromOps[i]!, toOp: this.#toOps[i]! };
  }

  countKinds(): Record<string, number> {
    const byKind = new Float64Array(REALTIME + 1);
    for (let slot = 0; slot < this.kinds.length; slot++) byKind[this.kinds[slot]!]!++;
    const counts: Record<string, number> = {};
    for (const kind of [WW, WR, RW, PROCESS, REALTIME] as EdgeKind[]) counts[edgeNames[kind]] = byKind[kind]!;
    return counts;
  }
}
