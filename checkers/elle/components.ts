// Strongly connected components of the graph restricted to some edge kinds: Tarjan's algorithm without recursion.
import type { Graph } from "./graph.ts";

export interface Components {
  /** Component number of each node; nodes alone in theirs (no cycle through them) share -1. */
  of: Int32Array;
  /** Nodes of each component with a cycle (two nodes or more), in discovery order. */
  members: Int32Array[];
}

/** Components of `graph` using only edges whose kind is in `allowed`. Linear in nodes and edges. */
export function stronglyConnected(graph: Graph, allowed: number): Components {
  const n = graph.nodes;
  const { offsets, targets, kinds } = graph;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  let stackTop = 0;
  // The depth-first path: a node and the next out-edge slot to look at.
  const pathNode = new Int32Array(n);
  const pathSlot = new Int32Array(n);
  const of = new Int32Array(n).fill(-1);
  const members: Int32Array[] = [];
  let counter = 0;

  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    let depth = 0;
    pathNode[0] = root;
    pathSlot[0] = offsets[root]!;
    index[root] = low[root] = counter++;
    stack[stackTop++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const v = pathNode[depth]!;
      let slot = pathSlot[depth]!;
      const end = offsets[v + 1]!;
      let descended = false;
      while (slot < end) {
        const kind = kinds[slot]!;
        const w = targets[slot]!;
        slot++;
        if ((kind & allowed) === 0) continue;
        if (index[w] === -1) {
          pathSlot[depth] = slot;
          depth++;
          pathNode[depth] = w;
          pathSlot[depth] = offsets[w]!;
          index[w] = low[w] = counter++;
          stack[stackTop++] = w;
          onStack[w] = 1;
          descended = true;
          break;
        }
        if (onStack[w] && index[w]! < low[v]!) low[v] = index[w]!;
      }
      if (descended) continue;
      // v is finished: it roots a component when nothing below reaches above it.
      if (low[v] === index[v]) {
        let size = 0;
        while (stack[stackTop - 1 - size] !== v) size++;
        size++;
        if (size > 1) {
          const component = stack.slice(stackTop - size, stackTop);
          for (const w of component) of[w] = members.length;
          members.push(component);
        }
        for (let i = 0; i < size; i++) onStack[stack[--stackTop]!] = 0;
      }
      depth--;
      if (depth >= 0) {
        const parent = pathNode[depth]!;
        if (low[v]! < low[parent]!) low[parent] = low[v]!;
      }
    }
  }
  return { of, members };
}
