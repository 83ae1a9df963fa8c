// WGL search (Wing & Gong, Lowe) for a linearization of one partition, with memoised configurations.
import { getHeapStatistics } from "node:v8";
import { ConfigCache } from "./config-cache.ts";
import type { AnyModel, AnyOperation } from "./model.ts";
import type { MemoryLimit } from "./result.ts";

export interface SearchBudget {
  /** performance.now() value after which the search gives up. */
  deadline: number;
  /** Most configurations remembered before the search gives up (bounds memory). */
  maxConfigurations: number;
  /** Most bytes the remembered configurations may take (their bitsets grow with the partition). */
  maxCacheBytes: number;
}

/** Where the search got furthest before it ran out of options: indices are into the partition's operations. */
export interface Deepest {
  /** Operations linearized, in order (uncertain ones included), before `blocked` had to be placed. */
  prefix: number[];
  /** The operation whose completion was reached without any way to linearize it. */
  blocked: number;
  /** Model state after the prefix. */
  state: unknown;
}

export type SearchOutcome =
  | { kind: "valid"; linearization: number[]; configurations: number }
  | { kind: "invalid"; deepest: Deepest; configurations: number }
  | { kind: "unknown"; reason: "timeout"; configurations: number }
  | { kind: "unknown"; reason: "budget"; limit: MemoryLimit; configurations: number; bytes: number; heapLimitBytes: number };

/** A search that can pause and resume, so many partitions can share a budget. */
export interface Search {
  /** Searches for at most about `iterations` steps; undefined when paused before an outcome. */
  run(iterations: number, budget: SearchBudget): SearchOutcome | undefined;
  readonly configurations: number;
}

const head = 0;

/** The memory limit the remembered configurations have passed, if any; the heap (past 80% of its limit) only when asked. */
export function memoryLimitPassed(cache: ConfigCache, budget: SearchBudget, heapToo: boolean): SearchOutcome | undefined {
  let limit: MemoryLimit | undefined;
  if (cache.size > budget.maxConfigurations) limit = "configurations";
  else if (cache.bytes > budget.maxCacheBytes) limit = "bytes";
  const heap = heapToo || limit !== undefined ? getHeapStatistics() : undefined;
  // Stop before Node dies of it.
  if (limit === undefined && heap !== undefined && heap.used_heap_size > 0.8 * heap.heap_size_limit) limit = "heap";
  if (limit === undefined) return undefined;
  return { kind: "unknown", reason: "budget", limit, configurations: cache.size, bytes: cache.bytes, heapLimitBytes: heap!.heap_size_limit };
}

/**
 * Depth-first search over linearizations, as in Porcupine: operations with a known outcome sit in a doubly
 * linked list of call and return events; the candidates are the calls before the first return (the
 * frontier). Operations with an unknown outcome have no return event: they sit in a second list, are tried
 * after the known ones, and need never be linearized, so the search succeeds once every known operation is.
 * Uncertain operations with equal inputs are interchangeable, so only the earliest unlinearized one of each
 * such class is tried.
 *
 * The search can pause and resume (`run` with an iteration limit), so many partitions can share a budget.
 */
export class PartitionSearch implements Search {
  readonly #model: AnyModel;
  readonly #plan: Plan;
  readonly #cache: ConfigCache;
  readonly #bits: Uint32Array;
  readonly #inputs: unknown[];
  readonly #outputs: unknown[];
  readonly #optInputs: unknown[];
  readonly #classTaken: Int32Array;
  /** Limits of the required operations not yet linearized (see Model.progress), when the model has them. */
  readonly #limits: MinTree | undefined;
  // The stack: node (> 0 a required call node, < 0 an optional node), state before, hash before, frontier.
  readonly #stackNode: Int32Array;
  readonly #stackState: unknown[];
  readonly #stackHash: Int32Array;
  readonly #stackFrontier: Int32Array;
  #outcome: SearchOutcome | undefined;
  // The loop's variables while paused.
  #depth = 0;
  #state: unknown;
  #zr = 0;
  #remaining: number;
  #cur: number;
  #onOptional = false;
  #optCur = 0;
  #frontier = 0;
  #deepest: Deepest | undefined;
  #deepestRemaining: number;

  constructor(operations: readonly AnyOperation[], model: AnyModel) {
    const plan = planOf(operations, model);
    this.#model = model;
    this.#plan = plan;
    const nr = plan.required.length;
    const no = plan.optional.length;
    this.#cache = new ConfigCache(model, plan.requiredWords, plan.optionalWords);
    this.#bits = new Uint32Array(plan.requiredWords + plan.optionalWords);
    this.#inputs = plan.required.map((i) => operations[i]!.input);
    this.#outputs = plan.required.map((i) => operations[i]!.output);
    this.#optInputs = plan.optional.map((i) => operations[i]!.input);
    this.#classTaken = new Int32Array(plan.classMembers.length);
    if (model.progress && model.limit) {
      const limit = model.limit.bind(model);
      this.#limits = new MinTree(plan.required.map((i) => limit(operations[i]!.input, operations[i]!.output)));
    }
    this.#stackNode = new Int32Array(nr + no);
    this.#stackState = new Array(nr + no);
    this.#stackHash = new Int32Array(nr + no);
    this.#stackFrontier = new Int32Array(nr + no);
    this.#state = model.init();
    this.#cache.addIfNew(Math.imul(model.hash(this.#state), 0x9e3779b1), this.#bits, this.#state);
    this.#remaining = nr;
    this.#deepestRemaining = nr + 1;
    this.#cur = plan.next[head]!;
    if (nr === 0) this.#outcome = { kind: "valid", linearization: [], configurations: 0 };
  }

  get configurations(): number {
    return this.#cache.size;
  }

  /** Searches for at most about `iterations` steps; undefined when paused before an outcome. */
  run(iterations: number, budget: SearchBudget): SearchOutcome | undefined {
    if (this.#outcome) return this.#outcome;
    const model = this.#model;
    const plan = this.#plan;
    const { next, prev, rank, optNext, optPrev, optRank, zobrist, classOf, classMembers } = plan;
    const cache = this.#cache;
    const bits = this.#bits;
    const optBase = plan.requiredWords * 32;
    const inputs = this.#inputs;
    const outputs = this.#outputs;
    const optInputs = this.#optInputs;
    const classTaken = this.#classTaken;
    const limits = this.#limits;
    const stackNode = this.#stackNode;
    const stackState = this.#stackState;
    const stackHash = this.#stackHash;
    const stackFrontier = this.#stackFrontier;
    let depth = this.#depth;
    let state = this.#state;
    let zr = this.#zr;
    let remaining = this.#remaining;
    let cur = this.#cur;
    let onOptional = this.#onOptional;
    let optCur = this.#optCur;
    let frontier = this.#frontier;
    let count = 0;
    const finish = (outcome: SearchOutcome) => (this.#outcome = outcome);

    for (;;) {
      if ((++count & 0x3ff) === 0) {
        if (performance.now() > budget.deadline) return finish({ kind: "unknown", reason: "timeout", configurations: cache.size });
        const passed = memoryLimitPassed(cache, budget, (count & 0xffff) === 0);
        if (passed) return finish(passed);
        if (count >= iterations) {
          this.#depth = depth;
          this.#state = state;
          this.#zr = zr;
          this.#remaining = remaining;
          this.#cur = cur;
          this.#onOptional = onOptional;
          this.#optCur = optCur;
          this.#frontier = frontier;
          return undefined;
        }
      }
      if (!onOptional) {
        if ((cur & 1) === 1) {
          const r = (cur - 1) >> 1;
          let after = model.step(state, inputs[r], outputs[r]);
          if (after !== undefined && limits !== undefined) {
            // Placing this operation must not outrun another one still waiting for its revision.
            limits.set(r, Infinity);
            if (model.progress!(after) > limits.min()) {
              limits.restore(r);
              after = undefined;
            }
          }
          if (after !== undefined) {
            const z = zr ^ zobrist[r]!;
            bits[r >>> 5]! |= 1 << (r & 31);
            if (cache.addIfNew(z ^ Math.imul(model.hash(after), 0x9e3779b1), bits, after)) {
              stackNode[depth] = cur;
              stackState[depth] = state;
              stackHash[depth] = zr;
              depth++;
              state = after;
              zr = z;
              liftRequired(next, prev, cur);
              if (--remaining === 0) {
                return finish({ kind: "valid", linearization: linearizationOf(plan, stackNode, depth), configurations: cache.size });
              }
              cur = next[head]!;
              continue;
            }
            bits[r >>> 5]! &= ~(1 << (r & 31));
            limits?.restore(r);
          }
          cur = next[cur]!;
          continue;
        }
        // A return: everything known that could go next has been tried; now the uncertain operations.
        frontier = cur;
        onOptional = true;
        optCur = optNext[head]!;
        continue;
      }
      if (optCur !== -1 && optRank[optCur]! < rank[frontier]!) {
        const o = optCur - 1;
        const c = classOf[o]!;
        if (classMembers[c]![classTaken[c]!] === o) {
          const after = model.step(state, optInputs[o], undefined);
          if (after !== undefined && (limits === undefined || model.progress!(after) <= limits.min())) {
            const bit = optBase + o;
            bits[bit >>> 5]! |= 1 << (bit & 31);
            if (cache.addIfNew(zr ^ Math.imul(model.hash(after), 0x9e3779b1), bits, after)) {
              stackNode[depth] = -optCur;
              stackState[depth] = state;
              stackHash[depth] = zr;
              stackFrontier[depth] = frontier;
              depth++;
              state = after;
              classTaken[c]!++;
              optNext[optPrev[optCur]!] = optNext[optCur]!;
              if (optNext[optCur] !== -1) optPrev[optNext[optCur]!] = optPrev[optCur]!;
              onOptional = false;
              cur = next[head]!;
              continue;
            }
            bits[bit >>> 5]! &= ~(1 << (bit & 31));
          }
        }
        optCur = optNext[optCur]!;
        continue;
      }
      // Nothing can be placed before the frontier's return: remember how far we got, then backtrack.
      if (remaining < this.#deepestRemaining) {
        this.#deepestRemaining = remaining;
        this.#deepest = deepestOf(plan, stackNode, depth, frontier, state);
      }
      if (depth === 0) return finish({ kind: "invalid", deepest: this.#deepest!, configurations: cache.size });
      depth--;
      const node = stackNode[depth]!;
      state = stackState[depth];
      zr = stackHash[depth]!;
      stackState[depth] = undefined;
      if (node > 0) {
        const r = (node - 1) >> 1;
        bits[r >>> 5]! &= ~(1 << (r & 31));
        unliftRequired(next, prev, node);
        limits?.restore(r);
        remaining++;
        onOptional = false;
        cur = next[node]!;
      } else {
        const n = -node;
        const o = n - 1;
        const bit = optBase + o;
        bits[bit >>> 5]! &= ~(1 << (bit & 31));
        classTaken[classOf[o]!]!--;
        optNext[optPrev[n]!] = n;
        if (optNext[n] !== -1) optPrev[optNext[n]!] = n;
        frontier = stackFrontier[depth]!;
        optCur = optNext[n]!;
      }
    }
  }
}

/** Runs one partition's search to the end (or the budget). */
export function searchLinearization(operations: readonly AnyOperation[], model: AnyModel, budget: SearchBudget): SearchOutcome {
  return new PartitionSearch(operations, model).run(Infinity, budget)!;
}

/** Minimum of a fixed array of numbers under point updates (a segment tree). */
class MinTree {
  readonly #values: Float64Array;
  readonly #tree: Float64Array;
  readonly #size: number;

  constructor(values: number[]) {
    let size = 1;
    while (size < values.length) size *= 2;
    this.#size = size;
    this.#values = Float64Array.from(values);
    this.#tree = new Float64Array(2 * size).fill(Infinity);
    this.#tree.set(this.#values, size);
    for (let i = size - 1; i >= 1; i--) this.#tree[i] = Math.min(this.#tree[2 * i]!, this.#tree[2 * i + 1]!);
  }

  min(): number {
    return this.#tree[1]!;
  }

  set(i: number, value: number): void {
    const tree = this.#tree;
    let at = i + this.#size;
    tree[at] = value;
    for (at >>= 1; at >= 1; at >>= 1) tree[at] = Math.min(tree[2 * at]!, tree[2 * at + 1]!);
  }

  restore(i: number): void {
    this.set(i, this.#values[i]!);
  }
}

function liftRequired(next: Int32Array, prev: Int32Array, call: number): void {
  next[prev[call]!] = next[call]!;
  prev[next[call]!] = prev[call]!;
  const ret = call + 1;
  next[prev[ret]!] = next[ret]!;
  if (next[ret] !== -1) prev[next[ret]!] = prev[ret]!;
}

function unliftRequired(next: Int32Array, prev: Int32Array, call: number): void {
  const ret = call + 1;
  next[prev[ret]!] = ret;
  if (next[ret] !== -1) prev[next[ret]!] = ret;
  next[prev[call]!] = call;
  prev[next[call]!] = call;
}

/** The partition laid out for the search. Required call node 1+2r, its return 2+2r; optional node 1+o. */
interface Plan {
  required: number[];
  optional: number[];
  next: Int32Array;
  prev: Int32Array;
  /** Position of each required node among all events, so optional calls can be compared with returns. */
  rank: Int32Array;
  optNext: Int32Array;
  optPrev: Int32Array;
  optRank: Int32Array;
  requiredWords: number;
  optionalWords: number;
  zobrist: Int32Array;
  classOf: Int32Array;
  classMembers: Int32Array[];
}

function planOf(operations: readonly AnyOperation[], model: AnyModel): Plan {
  const required: number[] = [];
  const optional: number[] = [];
  operations.forEach((op, i) => (op.output === undefined ? optional : required).push(i));
  const nr = required.length;
  const no = optional.length;

  // Events sorted by time; on equal times calls come first (intervals are closed: equal times overlap).
  const eventCount = 2 * nr + no;
  const times = new Float64Array(eventCount);
  const events = new Int32Array(eventCount);
  required.forEach((i, r) => {
    times[2 * r] = operations[i]!.call;
    times[2 * r + 1] = operations[i]!.ret;
  });
  optional.forEach((i, o) => (times[2 * nr + o] = operations[i]!.call));
  for (let e = 0; e < eventCount; e++) events[e] = e;
  const isReturn = (e: number) => e < 2 * nr && (e & 1) === 1;
  events.sort((a, b) => times[a]! - times[b]! || Number(isReturn(a)) - Number(isReturn(b)) || a - b);

  const next = new Int32Array(2 * nr + 1);
  const prev = new Int32Array(2 * nr + 1);
  const rank = new Int32Array(2 * nr + 1);
  const optNext = new Int32Array(no + 1);
  const optPrev = new Int32Array(no + 1);
  const optRank = new Int32Array(no + 1);
  let last = head;
  let optLast = head;
  events.forEach((e, position) => {
    if (e < 2 * nr) {
      const node = e + 1;
      rank[node] = position;
      next[last] = node;
      prev[node] = last;
      last = node;
    } else {
      const node = e - 2 * nr + 1;
      optRank[node] = position;
      optNext[optLast] = node;
      optPrev[node] = optLast;
      optLast = node;
    }
  });
  next[last] = -1;
  optNext[optLast] = -1;

  const zobrist = new Int32Array(nr);
  let seed = 0x2545f491;
  for (let r = 0; r < nr; r++) {
    // xorshift32: any fixed sequence of well-mixed words will do.
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    zobrist[r] = seed;
  }

  // Classes of interchangeable uncertain operations: same input, by the model's input key if it has one.
  const inputKey = (model as { inputKey?: (input: unknown) => string | number }).inputKey;
  const classOf = new Int32Array(no);
  const members: number[][] = [];
  const classIds = new Map<string | number, number>();
  optional.forEach((i, o) => {
    const key = inputKey ? inputKey.call(model, operations[i]!.input) : undefined;
    let c = key === undefined ? undefined : classIds.get(key);
    if (c === undefined) {
      c = members.length;
      members.push([]);
      if (key !== undefined) classIds.set(key, c);
    }
    classOf[o] = c;
    members[c]!.push(o);
  });

  // The earliest-invoked member of a class must come first: members in call order.
  for (const m of members) m.sort((a, b) => optRank[a + 1]! - optRank[b + 1]!);
  return {
    required,
    optional,
    next,
    prev,
    rank,
    optNext,
    optPrev,
    optRank,
    requiredWords: Math.ceil(nr / 32),
    optionalWords: Math.ceil(no / 32),
    zobrist,
    classOf,
    classMembers: members.map((m) => Int32Array.from(m)),
  };
}

function operationOfNode(plan: Plan, node: number): number {
  return node > 0 ? plan.required[(node - 1) >> 1]! : plan.optional[-node - 1]!;
}

function linearizationOf(plan: Plan, stackNode: Int32Array, depth: number): number[] {
  const order: number[] = [];
  for (let d = 0; d < depth; d++) order.push(operationOfNode(plan, stackNode[d]!));
  return order;
}

function deepestOf(plan: Plan, stackNode: Int32Array, depth: number, frontier: number, state: unknown): Deepest {
  return { prefix: linearizationOf(plan, stackNode, depth), blocked: plan.required[(frontier - 2) >> 1]!, state };
}
