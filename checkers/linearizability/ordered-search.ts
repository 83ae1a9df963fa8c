// The search for a partition whose known operations the model ranks (etcd: by revision): those stay in rank order, only uncertain ones branch.
import { ConfigCache } from "./config-cache.ts";
import type { AnyModel, AnyOperation } from "./model.ts";
import { memoryLimitPassed, type Search, type SearchBudget, type SearchOutcome } from "./search.ts";

const head = 0;

/**
 * Depth-first search over linearizations whose known operations come in rank order, ties by call time
 * (Model.rank says every accepted linearization can be sorted so). Real time then asks two things. A known
 * operation invoked after a later-ranked one returned cannot be placed at all: that is checked once, before
 * the search, which then only needs to reach it (see `doomed`; so do the operations Model.impossible names).
 * An uncertain operation goes after every known one that returned before it was invoked: from position
 * `need` in the order on.
 *
 * A configuration is (known operations placed, uncertain ones placed, state). It is remembered only where
 * the search can branch: where the model's progress is below the next known operations' limit, so an
 * uncertain operation may go there (etcd: a revision no answer claims, which only an uncertain write can
 * have taken). Elsewhere the next known operation is the only move, and the memory stays small however
 * long the partition is. Uncertain operations with equal inputs are interchangeable, as in search.ts.
 */
export class OrderedSearch implements Search {
  readonly #model: AnyModel;
  /** Partition indices of the known operations, in rank order. */
  readonly #order: Int32Array;
  readonly #inputs: unknown[];
  readonly #outputs: unknown[];
  /** Least limit (Model.limit) of the known operations from each position on; Infinity without one. */
  readonly #limitFrom: Float64Array;
  /**
   * The first position whose operation cannot be placed (invoked after a later-ranked one returned, or one
   * Model.impossible names), or -1; the later-ranked one that returned first before it was invoked, or -1.
   */
  readonly #doomed: number;
  readonly #lateBecause: number;
  /** Where the search ends (the count of known operations when none is doomed), and a position it passes over. */
  readonly #stop: number;
  readonly #skip: number;
  // Uncertain operations, by call time: partition indices, their inputs, the first position each may take.
  readonly #optional: Int32Array;
  readonly #optInputs: unknown[];
  readonly #need: Int32Array;
  readonly #optNext: Int32Array;
  readonly #optPrev: Int32Array;
  readonly #classOf: Int32Array;
  readonly #classMembers: Int32Array[];
  readonly #classTaken: Int32Array;
  readonly #cache: ConfigCache;
  /** Word 0: the position; then one bit per uncertain operation placed. */
  readonly #bits: Uint32Array;
  // The stack: 0 for a known operation placed, 1 + o for uncertain operation o, -1 for `skip`; the state before it.
  readonly #stackNode: Int32Array;
  readonly #stackState: unknown[];
  #outcome: SearchOutcome | undefined;
  // The loop's variables while paused.
  #depth = 0;
  #k = 0;
  #state: unknown;
  #onOptional = false;
  #optCur = 0;
  // The furthest the search got: a copy of the stack then, kept up to date from where it still agrees.
  readonly #deepestNodes: Int32Array;
  #deepestDepth = 0;
  #deepestK = -1;
  #deepestState: unknown;
  #agree = 0;

  /** The search for this partition, or undefined when the model does not rank every known operation of it. */
  static of(operations: readonly AnyOperation[], model: AnyModel): OrderedSearch | undefined {
    if (!model.rank) return undefined;
    const ranks = new Float64Array(operations.length);
    const known: number[] = [];
    for (let i = 0; i < operations.length; i++) {
      const op = operations[i]!;
      if (op.output === undefined) continue;
      const rank = model.rank(op.input, op.output);
      if (rank === undefined) return undefined;
      ranks[i] = rank;
      known.push(i);
    }
    return new OrderedSearch(operations, model, ranks, known);
  }

  private constructor(operations: readonly AnyOperation[], model: AnyModel, ranks: Float64Array, known: number[]) {
    this.#model = model;
    const order = Int32Array.from(known).sort((a, b) => ranks[a]! - ranks[b]! || operations[a]!.call - operations[b]!.call || a - b);
    const nr = order.length;
    this.#order = order;
    this.#inputs = Array.from(order, (i) => operations[i]!.input);
    this.#outputs = Array.from(order, (i) => operations[i]!.output);

    this.#limitFrom = new Float64Array(nr + 1).fill(Infinity);
    if (model.progress && model.limit) {
      for (let k = nr - 1; k >= 0; k--) this.#limitFrom[k] = Math.min(this.#limitFrom[k + 1]!, model.limit(this.#inputs[k], this.#outputs[k]));
    }
    // Doomed: invoked after a later-ranked operation returned (scanning from the end, the earliest return
    // among later positions against each call), or one the model says no linearization places.
    const doomed = new Uint8Array(nr);
    const because = new Int32Array(nr).fill(-1);
    let firstReturn = Infinity;
    let firstReturner = -1;
    for (let k = nr - 1; k >= 0; k--) {
      const op = operations[order[k]!]!;
      if (firstReturn < op.call) {
        doomed[k] = 1;
        because[k] = firstReturner;
      } else if (model.impossible?.(this.#inputs[k], this.#outputs[k])) doomed[k] = 1;
      if (op.ret < firstReturn) {
        firstReturn = op.ret;
        firstReturner = k;
      }
    }
    let first = doomed.indexOf(1);
    if (first === -1) first = nr;
    this.#doomed = first < nr ? first : -1;
    this.#lateBecause = first < nr ? because[first]! : -1;
    this.#stop = first;
    this.#skip = -1;
    if (first < nr && because[first]! >= 0 && model.readOnly?.(this.#inputs[first])) {
      // A read invoked after later-ranked operations returned: placed as the general search would place it, after
      // every operation that returned before it was invoked (up to the next doomed one), then reported blocked.
      const call = operations[order[first]!]!.call;
      let through = first;
      for (let k = first + 1; k < nr && doomed[k] === 0; k++) if (operations[order[k]!]!.ret < call) through = k;
      this.#skip = first;
      this.#stop = through + 1;
    }

    const optional: number[] = [];
    operations.forEach((op, i) => op.output === undefined && optional.push(i));
    optional.sort((a, b) => operations[a]!.call - operations[b]!.call || a - b);
    const no = optional.length;
    this.#optional = Int32Array.from(optional);
    this.#optInputs = optional.map((i) => operations[i]!.input);
    // need: one past the last position whose operation returned before the uncertain one was invoked.
    const byReturn = Array.from({ length: nr }, (_, k) => k).sort((a, b) => operations[order[a]!]!.ret - operations[order[b]!]!.ret);
    this.#need = new Int32Array(no);
    let returned = 0;
    let furthest = 0;
    optional.forEach((i, o) => {
      const call = operations[i]!.call;
      while (returned < nr && operations[order[byReturn[returned]!]!]!.ret < call) furthest = Math.max(furthest, byReturn[returned++]! + 1);
      this.#need[o] = furthest;
    });
    this.#optNext = new Int32Array(no + 1);
    this.#optPrev = new Int32Array(no + 1);
    for (let n = 0; n <= no; n++) {
      this.#optNext[n] = n === no ? -1 : n + 1;
      this.#optPrev[n] = n - 1;
    }
    // Classes of interchangeable uncertain operations (same input key), members in call order.
    const inputKey = (model as { inputKey?: (input: unknown) => string | number }).inputKey;
    this.#classOf = new Int32Array(no);
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
      this.#classOf[o] = c;
      members[c]!.push(o);
    });
    this.#classMembers = members.map((m) => Int32Array.from(m));
    this.#classTaken = new Int32Array(members.length);

    const optionalWords = Math.ceil(no / 32);
    this.#cache = new ConfigCache(model, 1, optionalWords);
    this.#bits = new Uint32Array(1 + optionalWords);
    this.#stackNode = new Int32Array(nr + no);
    this.#deepestNodes = new Int32Array(nr + no);
    this.#stackState = new Array(nr + no);
    this.#state = model.init();
    this.#cache.addIfNew(this.#hash(0, this.#state), this.#bits, this.#state);
  }

  get configurations(): number {
    return this.#cache.size;
  }

  #hash(k: number, state: unknown): number {
    return Math.imul(k + 1, 0x9e3779b1) ^ Math.imul(this.#model.hash(state), 0x85ebca6b);
  }

  run(iterations: number, budget: SearchBudget): SearchOutcome | undefined {
    if (this.#outcome) return this.#outcome;
    const model = this.#model;
    const progress = model.progress && model.limit ? model.progress.bind(model) : undefined;
    const inputs = this.#inputs;
    const outputs = this.#outputs;
    const limitFrom = this.#limitFrom;
    const stop = this.#stop;
    const need = this.#need;
    const optInputs = this.#optInputs;
    const optNext = this.#optNext;
    const optPrev = this.#optPrev;
    const classOf = this.#classOf;
    const classMembers = this.#classMembers;
    const classTaken = this.#classTaken;
    const cache = this.#cache;
    const bits = this.#bits;
    const stackNode = this.#stackNode;
    const stackState = this.#stackState;
    let depth = this.#depth;
    let k = this.#k;
    let state = this.#state;
    let onOptional = this.#onOptional;
    let optCur = this.#optCur;
    let agree = this.#agree;
    let count = 0;
    const finish = (outcome: SearchOutcome) => (this.#outcome = outcome);
    // An uncertain operation can go at position k only while the progress leaves room below what is still to come.
    const room = (s: unknown, at: number) => progress === undefined || progress(s) < limitFrom[at]!;
    const fits = (s: unknown, at: number) => progress === undefined || progress(s) <= limitFrom[at]!;
    // Uncertain operations are tried latest-invoked first (the likeliest to have taken effect here), from the
    // last one that may go at position k back.
    const lastEligible = (at: number) => {
      let n = head;
      while (optNext[n] !== -1 && need[optNext[n]! - 1]! <= at) n = optNext[n]!;
      return n;
    };

    for (;;) {
      if ((++count & 0x3ff) === 0) {
        const stopped = performance.now() > budget.deadline ? "timeout" : memoryLimitPassed(cache, budget, (count & 0xffff) === 0);
        if (stopped !== undefined) {
          // A known operation that cannot be placed settles it: no linearization exists.
          if (this.#doomed !== -1) return finish(this.#doomedOutcome(depth, state));
          return finish(stopped === "timeout" ? { kind: "unknown", reason: "timeout", configurations: cache.size } : stopped);
        }
        if (count >= iterations) {
          this.#depth = depth;
          this.#k = k;
          this.#state = state;
          this.#onOptional = onOptional;
          this.#optCur = optCur;
          this.#agree = agree;
          return undefined;
        }
      }
      if (!onOptional) {
        if (k === stop) {
          if (this.#doomed === -1) return finish({ kind: "valid", linearization: this.#linearization(stackNode, depth), configurations: cache.size });
          return finish(this.#doomedOutcome(depth, state));
        }
        if (k === this.#skip) {
          stackNode[depth] = -1;
          stackState[depth] = state;
          depth++;
          k++;
          bits[0] = k;
          continue;
        }
        const after = model.step(state, inputs[k], outputs[k]);
        let placed = after !== undefined && fits(after, k + 1);
        if (placed && room(after, k + 1)) {
          // A place where uncertain operations may go: remember it, and go no further if it is known.
          bits[0] = k + 1;
          placed = cache.addIfNew(this.#hash(k + 1, after), bits, after);
          bits[0] = k;
        }
        if (placed) {
          stackNode[depth] = 0;
          stackState[depth] = state;
          depth++;
          state = after;
          k++;
          bits[0] = k;
          continue;
        }
        if (room(state, k)) {
          onOptional = true;
          optCur = lastEligible(k);
          continue;
        }
      } else {
        let moved = false;
        while (optCur !== head) {
          const o = optCur - 1;
          const c = classOf[o]!;
          if (classMembers[c]![classTaken[c]!] === o) {
            const after = model.step(state, optInputs[o], undefined);
            if (after !== undefined && fits(after, k)) {
              const bit = 32 + o;
              bits[bit >>> 5]! |= 1 << (bit & 31);
              if (cache.addIfNew(this.#hash(k, after), bits, after)) {
                stackNode[depth] = optCur;
                stackState[depth] = state;
                depth++;
                state = after;
                classTaken[c]!++;
                optNext[optPrev[optCur]!] = optNext[optCur]!;
                if (optNext[optCur] !== -1) optPrev[optNext[optCur]!] = optPrev[optCur]!;
                onOptional = false;
                moved = true;
                break;
              }
              bits[bit >>> 5]! &= ~(1 << (bit & 31));
            }
          }
          optCur = optPrev[optCur]!;
        }
        if (moved) continue;
      }
      // Nothing more to try here: remember how far we got, then backtrack to the last place with options left.
      if (k > this.#deepestK) {
        this.#deepestNodes.set(stackNode.subarray(agree, depth), agree);
        this.#deepestDepth = agree = depth;
        this.#deepestK = k;
        this.#deepestState = state;
      }
      for (;;) {
        if (depth === 0) {
          const deepest = { prefix: this.#linearization(this.#deepestNodes, this.#deepestDepth), blocked: this.#order[this.#deepestK]!, state: this.#deepestState };
          return finish({ kind: "invalid", deepest, configurations: cache.size });
        }
        depth--;
        if (depth < agree) agree = depth;
        const node = stackNode[depth]!;
        state = stackState[depth];
        stackState[depth] = undefined;
        if (node <= 0) {
          k--;
          bits[0] = k;
          if (node < 0 || !room(state, k)) continue;
          onOptional = true;
          optCur = lastEligible(k);
        } else {
          const o = node - 1;
          const bit = 32 + o;
          bits[bit >>> 5]! &= ~(1 << (bit & 31));
          classTaken[classOf[o]!]!--;
          optNext[optPrev[node]!] = node;
          if (optNext[node] !== -1) optPrev[optNext[node]!] = node;
          onOptional = true;
          optCur = optPrev[node]!;
        }
        break;
      }
    }
  }

  /** Partition indices of the operations on a stack, in order. */
  #linearization(nodes: Int32Array, depth: number): number[] {
    const order: number[] = [];
    let k = 0;
    for (let d = 0; d < depth; d++) {
      const node = nodes[d]!;
      if (node < 0) k++;
      else order.push(node === 0 ? this.#order[k++]! : this.#optional[node - 1]!);
    }
    return order;
  }

  /**
   * The outcome when the known operation at `doomed` cannot be placed, from the operations placed so far. A
   * skipped read is blocked after them. Otherwise, when it was invoked after a later-ranked one returned, as
   * the general search would show it: the later-ranked operations up to that one placed too (while they can
   * be, without uncertain ones) and it blocked, or, when they cannot be, that one blocked where they stop.
   */
  #doomedOutcome(depth: number, state: unknown): SearchOutcome {
    const k = this.#doomed;
    const prefix = this.#linearization(this.#stackNode, depth);
    let placed = 0;
    for (let d = 0; d < depth; d++) if (this.#stackNode[d] === 0) placed++;
    let blocked = this.#order[k]!;
    if (this.#skip === -1 && placed === k) {
      for (let j = k + 1; j <= this.#lateBecause; j++) {
        const after = this.#model.step(state, this.#inputs[j], this.#outputs[j]);
        if (after === undefined) {
          blocked = this.#order[this.#lateBecause]!;
          break;
        }
        prefix.push(this.#order[j]!);
        state = after;
      }
    }
    return { kind: "invalid", deepest: { prefix, blocked, state }, configurations: this.#cache.size };
  }
}
