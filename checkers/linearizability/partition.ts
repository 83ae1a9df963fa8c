// P-compositionality helpers: split operations into parts that share no key.
import type { Operation } from "./model.ts";

/**
 * Groups operations that touch a common key, transitively (an operation on keys a and b joins the parts of
 * a and b). Operations with no key form one part. Parts keep the operations' order.
 */
export function partitionByKeys<I, O>(
  operations: readonly Operation<I, O>[],
  keysOf: (operation: Operation<I, O>) => readonly string[],
): Operation<I, O>[][] {
  const parent: number[] = [];
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const keyIds = new Map<string, number>();
  const firstKey = new Int32Array(operations.length);
  operations.forEach((operation, i) => {
    const keys = keysOf(operation);
    let root = -1;
    // Operations without keys share the part of the empty key.
    for (const key of keys.length === 0 ? [""] : keys) {
      let id = keyIds.get(key);
      if (id === undefined) {
        id = parent.length;
        parent.push(id);
        keyIds.set(key, id);
      }
      const r = find(id);
      if (root === -1) root = r;
      else if (r !== root) parent[r] = root;
    }
    firstKey[i] = root;
  });
  const parts = new Map<number, Operation<I, O>[]>();
  operations.forEach((operation, i) => {
    const r = find(firstKey[i]!);
    let part = parts.get(r);
    if (part === undefined) parts.set(r, (part = []));
    part.push(operation);
  });
  return [...parts.values()];
}

/** Partition by the history's `key` field: the usual case of independent single-key operations. */
export function partitionByKey<I, O>(operations: readonly Operation<I, O>[]): Operation<I, O>[][] {
  const parts = new Map<string | undefined, Operation<I, O>[]>();
  for (const operation of operations) {
    let part = parts.get(operation.key);
    if (part === undefined) parts.set(operation.key, (part = []));
    part.push(operation);
  }
  return [...parts.values()];
}
