// The shortest cycles of each anomaly class inside a strongly connected component: breadth-first searches over allowed edge kinds.
import type { Components } from "./components.ts";
import { PROCESS, REALTIME, RW, WR, WW, type EdgeKind, type Graph } from "./graph.ts";

/**
 * One search: cycles that start with an edge of kind `start`, continue over `allowed` kinds, hold
 * exactly 0 or 1 read-write (anti-dependency) edges, or at least 2 ("many"), and (when `needs` is given)
 * at least one edge of those kinds.
 */
export interface CycleSearch {
  start: EdgeKind;
  allowed: number;
  rw: 0 | 1 | "many";
  needs?: number;
}

const D = WW | WR | RW;

/** Strongest class first, so the cycle found for a component is named by the least it needs. */
export const dependencySearches: CycleSearch[] = [
  { start: WW, allowed: WW, rw: 0 },
  { start: WR, allowed: WW | WR, rw: 0 },
  { start: RW, allowed: D, rw: 1 },
  { start: RW, allowed: D, rw: "many" },
];

/**
 * Cycles that need one client's order, then cycles that need real time: each starts from the
 * dependency edge its class is named by (a stale read's anti-dependency, say) and must close through
 * the order it needs.
 */
export const sessionSearches: CycleSearch[] = [PROCESS, REALTIME].flatMap((needs) => {
  const order = needs === PROCESS ? PROCESS : PROCESS | REALTIME;
  return [
    { start: WW, allowed: WW | order, rw: 0, needs },
    { start: WR, allowed: WW | WR | order, rw: 0, needs },
    { start: RW, allowed: D | order, rw: 1, needs },
    { start: RW, allowed: D | order, rw: "many", needs },
  ] as CycleSearch[];
});

/** A cycle as the edge slots it follows, the first leaving and the last entering the same node. */
export type Cycle = number[];

/** G0, G1c, G-single, G2-item by the dependency edges a cycle holds; -process or -realtime when it needs those orders. */
export function classify(graph: Graph, cycle: Cycle): string {
  let rw = 0;
  let wr = false;
  let realtime = false;
  let process = false;
  for (const slot of cycle) {
    const kind = graph.kinds[slot]!;
    if (kind === RW) rw++;
    else if (kind === WR) wr = true;
    else if (kind === REALTIME) realtime = true;
    else if (kind === PROCESS) process = true;
  }
  const base = rw === 0 ? (wr ? "G1c" : "G0") : rw === 1 ? "G-single" : "G2-item";
  return realtime ? `${base}-realtime` : process ? `${base}-process` : base;
}

export interface SearchBudget {
  /** Search states still to visit before giving up; shared by every search of a check. */
  states: number;
  exhausted: boolean;
}

/** Search states per node: read-write edges so far (0, 1, 2+) times whether a needed edge was taken. */
const states = 6;

/** Start edges tried per search and component, and distinct cycles kept per class and component. */
const startsTried = 64;
const cyclesPerClass = 8;

export class CycleFinder {
  readonly #graph: Graph;
  // Search states are (node, read-write edges so far: 0, 1, 2 or more, whether a needed edge was taken).
  // A state's distance is valid when #seen holds the search's stamp, final when #done does.
  readonly #seen: Int32Array;
  readonly #done: Int32Array;
  readonly #distance: Int32Array;
  readonly #via: Int32Array;
  readonly #parent: Int32Array;
  /** A double-ended queue (0-1 breadth-first search): steps along the barrier chain cost nothing. */
  readonly #deque: Int32Array;
  /** How far back in real time each edge points: the target's completion minus the source's invocation. */
  readonly #reach: (slot: number) => number;
  #stamp = 0;
  readonly budget: SearchBudget;

  /** Nodes below this are transactions; those above, real-time barriers. */
  readonly #transactions: number;

  constructor(graph: Graph, budget: SearchBudget, reach: (slot: number) => number, transactions: number) {
    this.#graph = graph;
    this.#transactions = transactions;
    this.budget = budget;
    this.#reach = reach;
    const size = graph.nodes * states;
    this.#seen = new Int32Array(size);
    this.#done = new Int32Array(size);
    this.#distance = new Int32Array(size);
    this.#via = new Int32Array(size);
    this.#parent = new Int32Array(size);
    this.#deque = new Int32Array(size * 2 + 1);
  }

  /**
   * Cycles of component `c`, searched in order, each named by its class; at most a few per class, shortest
   * first. Start edges that point furthest back in time are tried first: a dependency on a transaction
   * that completed before this one began (a stale read's) closes the shortest cycles.
   */
  find(components: Components, c: number, searches: CycleSearch[]): { name: string; cycle: Cycle }[] {
    const found = new Map<string, Cycle[]>();
    // The same transactions in a cycle found again by a later, weaker search (a process edge is also real time) count once.
    const nodeSets = new Set<string>();
    for (const search of searches) {
      const starts = [...this.#startSlots(components, c, search.start)];
      if (starts.length > startsTried) starts.sort((a, b) => this.#reach(a) - this.#reach(b));
      for (const slot of starts.slice(0, startsTried)) {
        if (this.budget.exhausted) break;
        const cycle = this.#through(components, c, slot, search);
        if (!cycle) continue;
        const nodes = cycle
          .map((edge) => this.#graph.sourceOf(edge))
          .filter((node) => node < this.#transactions)
          .sort((x, y) => x - y)
          .join(",");
        if (nodeSets.has(nodes)) continue;
        nodeSets.add(nodes);
        const name = classify(this.#graph, cycle);
        const list = found.get(name) ?? [];
        found.set(name, list);
        list.push(cycle);
      }
    }
    return [...found].flatMap(([name, cycles]) =>
      cycles
        .sort((a, b) => this.#steps(a) - this.#steps(b))
        .slice(0, cyclesPerClass)
        .map((cycle) => ({ name, cycle })),
    );
  }

  *#startSlots(components: Components, c: number, kind: EdgeKind): Generator<number> {
    const { offsets, targets, kinds } = this.#graph;
    for (const v of components.members[c]!) {
      for (let slot = offsets[v]!; slot < offsets[v + 1]!; slot++) {
        if (kinds[slot] === kind && components.of[targets[slot]!] === c) yield slot;
      }
    }
  }

  /**
   * The shortest cycle that starts with edge `startSlot` and meets the search's conditions, inside
   * component `c`. Shortest in steps a person reads: a walk along the real-time barrier chain is free,
   * so "T2 began after T1 completed" costs the same however many completions lie between them.
   */
  #through(components: Components, c: number, startSlot: number, search: CycleSearch): Cycle | undefined {
    const { offsets, targets, kinds } = this.#graph;
    const from = targets[startSlot]!;
    // The node the start edge leaves: the search ends when it gets back there.
    const home = this.#graph.sourceOf(startSlot);
    // The read-write edges the cycle must end with: 0, 1, or (counted up to 2) at least 2.
    const limit = search.rw === "many" ? 2 : search.rw;
    const needs = search.needs ?? 0;
    const startKind = kinds[startSlot]!;
    const startCount = startKind === RW ? 1 : 0;
    if (startCount > limit) return undefined;
    const stamp = ++this.#stamp;
    const capacity = this.#deque.length;
    let head = 0;
    let size = 0;
    const first = from * states + startCount * 2 + (needs === 0 || (startKind & needs) !== 0 ? 1 : 0);
    this.#seen[first] = stamp;
    this.#distance[first] = 0;
    this.#via[first] = -1;
    this.#deque[0] = first;
    size = 1;
    while (size > 0) {
      if (--this.budget.states < 0) {
        this.budget.exhausted = true;
        return undefined;
      }
      const state = this.#deque[head]!;
      head = (head + 1) % capacity;
      size--;
      if (this.#done[state] === stamp) continue;
      this.#done[state] = stamp;
      const v = (state / states) | 0;
      const count = (state - v * states) >> 1;
      const has = state & 1;
      if (v === home) {
        if (count === limit && has === 1) return this.#path(startSlot, state);
        continue;
      }
      const distance = this.#distance[state]!;
      const onChain = v >= this.#transactions;
      for (let slot = offsets[v]!; slot < offsets[v + 1]!; slot++) {
        const kind = kinds[slot]!;
        if ((kind & search.allowed) === 0) continue;
        const w = targets[slot]!;
        if (components.of[w] !== c) continue;
        const next = kind === RW ? Math.min(count + 1, 2) : count;
        if (next > limit) continue;
        const nextState = w * states + next * 2 + (has | ((kind & needs) !== 0 ? 1 : 0));
        const free = onChain && w >= this.#transactions;
        const nextDistance = distance + (free ? 0 : 1);
        if (this.#seen[nextState] === stamp && this.#distance[nextState]! <= nextDistance) continue;
        this.#seen[nextState] = stamp;
        this.#distance[nextState] = nextDistance;
        this.#via[nextState] = slot;
        this.#parent[nextState] = state;
        if (size === capacity) {
          // Not expected (a state is queued at most twice), but a search cut short must not pass for one that found nothing.
          this.budget.exhausted = true;
          return undefined;
        }
        if (free) {
          head = (head - 1 + capacity) % capacity;
          this.#deque[head] = nextState;
        } else {
          this.#deque[(head + size) % capacity] = nextState;
        }
        size++;
      }
    }
    return undefined;
  }

  /** A cycle's length as told: steps along the barrier chain are not steps of the story. */
  #steps(cycle: Cycle): number {
    let steps = 0;
    for (const slot of cycle) if (this.#graph.sourceOf(slot) < this.#transactions || this.#graph.targets[slot]! < this.#transactions) steps++;
    return steps;
  }

  #path(startSlot: number, end: number): Cycle {
    const slots: number[] = [];
    for (let state = end; this.#via[state] !== -1; state = this.#parent[state]!) slots.push(this.#via[state]!);
    slots.push(startSlot);
    return slots.reverse();
  }
}
