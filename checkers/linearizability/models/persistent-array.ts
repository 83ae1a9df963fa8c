// An immutable array with cheap updates (a 32-way trie sharing unchanged nodes), for model states with many keys.
type Node = unknown[];

const bits = 5;
const width = 1 << bits;

export class PersistentArray<T> {
  readonly #root: Node;
  readonly #shift: number;

  private constructor(root: Node, shift: number) {
    this.#root = root;
    this.#shift = shift;
  }

  /** An array of `size` slots, all undefined. */
  static empty<T>(size: number): PersistentArray<T> {
    let shift = 0;
    while (size > width << shift) shift += bits;
    return new PersistentArray<T>(new Array(width), shift);
  }

  get(i: number): T | undefined {
    let node: Node | undefined = this.#root;
    for (let shift = this.#shift; shift > 0 && node !== undefined; shift -= bits) node = node[(i >>> shift) & (width - 1)] as Node | undefined;
    return node?.[i & (width - 1)] as T | undefined;
  }

  set(i: number, value: T | undefined): PersistentArray<T> {
    return new PersistentArray<T>(setIn(this.#root, this.#shift, i, value), this.#shift);
  }

  equals(other: PersistentArray<T>, equal: (a: T, b: T) => boolean): boolean {
    return this.#shift === other.#shift && nodesEqual(this.#root, other.#root, this.#shift, equal as (a: unknown, b: unknown) => boolean);
  }

  /** Present (non-undefined) slots in index order. */
  *entries(): Generator<[number, T]> {
    yield* walk<T>(this.#root, this.#shift, 0);
  }
}

function setIn(node: Node | undefined, shift: number, i: number, value: unknown): Node {
  const copy = node === undefined ? new Array(width) : node.slice();
  const slot = (i >>> shift) & (width - 1);
  copy[slot] = shift === 0 ? value : setIn(copy[slot] as Node | undefined, shift - bits, i, value);
  return copy;
}

function nodesEqual(a: Node | undefined, b: Node | undefined, shift: number, equal: (a: unknown, b: unknown) => boolean): boolean {
  if (a === b) return true;
  for (let slot = 0; slot < width; slot++) {
    const x = a?.[slot];
    const y = b?.[slot];
    if (x === y) continue;
    if (shift === 0) {
      if (x === undefined || y === undefined || !equal(x, y)) return false;
    } else if (!nodesEqual(x as Node | undefined, y as Node | undefined, shift - bits, equal)) return false;
  }
  return true;
}

function* walk<T>(node: Node | undefined, shift: number, offset: number): Generator<[number, T]> {
  if (node === undefined) return;
  for (let slot = 0; slot < width; slot++) {
    const child = node[slot];
    if (child === undefined) continue;
    if (shift === 0) yield [offset + slot, child as T];
    else yield* walk<T>(child as Node, shift - bits, offset + (slot << shift));
  }
}
