// Uncertain etcd writes the recorded revisions decide: placed at the revision a read or watch showed their value at, or dropped when every revision they could have taken is another write's.
//
// Each write to etcd takes the next store revision, and every answer carries the revision it saw. Two
// facts follow, which spare the search most orders of a crash-heavy history's uncertain writes:
// - a put whose value only it writes, shown by a read (its modRevision) or a watch event at revision r,
//   took effect at r: it is kept as an operation answered at r (its return time stays unknown);
// - an uncertain write W can only take a revision above those answered before W was invoked. When every
//   revision from there up to the highest any answer shows is taken by a write with a known outcome (or
//   one placed as above), W took a revision above every answer: it is ordered after every other
//   operation, where it changes no recorded result, so it is dropped. This needs every answered operation
//   to carry its revision (otherwise one without could have been ordered after W and seen it).
// etcd's robustness suite settles its failed writes from watch events the same way. What is left of them
// loses what no result can tell apart: a value no read, watch event or value compare ever shows is replaced
// by one placeholder, so uncertain puts to the same keys become interchangeable and the search tries the
// earliest of them only (a linearization with the real values has one with the placeholder, and back).
import type { Operation } from "../model.ts";
import type { EtcdInput, EtcdOutput, EtcdRequest, EtcdResult } from "./etcd-kv.ts";

/** What an uncertain put's value becomes when nothing recorded shows it. */
export const unreadValue = "\u0000unread";

/** A put a watch delivered: the key (the model's id), the value, its revision and the key's version then. */
export interface PutEvent {
  key: number;
  value: string;
  revision: number;
  version?: number;
}

export interface Settled {
  operations: Operation<EtcdInput, EtcdOutput>[];
  /** Uncertain operations given the revision the evidence proves. */
  placed: number;
  /** Uncertain operations dropped: they could only take a revision above every answer. */
  dropped: number;
  /** Uncertain operations left whose values were all replaced by `unreadValue`. */
  unread: number;
}

type EtcdOperation = Operation<EtcdInput, EtcdOutput>;

function putsOf(input: EtcdInput): { request: Extract<EtcdRequest, { f: "put" }>; branch: "success" | "failure" | undefined }[] {
  if (input.f === "put") return [{ request: input, branch: undefined }];
  if (input.f !== "txn") return [];
  const puts = (requests: EtcdRequest[], branch: "success" | "failure") =>
    requests.flatMap((request) => (request.f === "put" ? [{ request, branch }] : []));
  return [...puts(input.success, "success"), ...puts(input.failure, "failure")];
}

interface ValueRead {
  key: number;
  value: string;
  modRevision: number | undefined;
  createRevision: number | undefined;
  version: number | undefined;
}

/** Every value answered reads showed: the key, the value, and its mod and create revisions and the key's version when recorded. */
export function valuesRead(operations: readonly EtcdOperation[]): ValueRead[] {
  const read: ValueRead[] = [];
  const fromResult = (request: EtcdRequest, result: EtcdResult) => {
    if (request.f === "get" && result != null && "value" in result) read.push({ key: request.key, value: result.value, modRevision: result.modRevision, createRevision: result.createRevision, version: result.version });
  };
  for (const { input, output } of operations) {
    if (output === undefined) continue;
    if (input.f === "get") fromResult(input, output.result);
    else if (input.f === "txn" && output.results !== undefined) {
      const branch = output.succeeded ? input.success : input.failure;
      branch.forEach((request, i) => fromResult(request, output.results![i]));
    }
  }
  return read;
}

/** What the history shows of a (key, value) an uncertain operation puts. */
interface Pair {
  /** Operations that put it (uncertain or not). */
  writers: number;
  /** The revision answers and watch events showed it stored at; NaN when they showed several. */
  seenAt: number | undefined;
  /** Whether any answer or watch event showed it. */
  shown: boolean;
}

/** The (key, value) pairs uncertain operations put, by key then value, with what the history shows of each. */
function pairsOf(operations: readonly EtcdOperation[], events: readonly PutEvent[]): Map<number, Map<string, Pair>> {
  const pairs = new Map<number, Map<string, Pair>>();
  for (const op of operations) {
    if (op.output !== undefined) continue;
    for (const { request } of putsOf(op.input)) {
      let values = pairs.get(request.key);
      if (values === undefined) pairs.set(request.key, (values = new Map()));
      if (!values.has(request.value)) values.set(request.value, { writers: 0, seenAt: undefined, shown: false });
    }
  }
  const pair = (key: number, value: string) => pairs.get(key)?.get(value);
  for (const op of operations) {
    for (const { request } of putsOf(op.input)) {
      const p = pair(request.key, request.value);
      if (p !== undefined) p.writers++;
    }
  }
  const sighted = (key: number, value: string, revision: number | undefined) => {
    const p = pair(key, value);
    if (p === undefined) return;
    p.shown = true;
    if (revision !== undefined) p.seenAt = p.seenAt === undefined || p.seenAt === revision ? revision : NaN;
  };
  for (const read of valuesRead(operations)) sighted(read.key, read.value, read.modRevision);
  for (const event of events) sighted(event.key, event.value, event.revision);
  return pairs;
}

/** The outcome the sightings prove for an uncertain write, or undefined when they prove none. */
function provenOutcome(op: EtcdOperation, pairs: Map<number, Map<string, Pair>>): EtcdOutput | undefined {
  let revision: number | undefined;
  let branch: "success" | "failure" | undefined;
  for (const put of putsOf(op.input)) {
    const p = pairs.get(put.request.key)!.get(put.request.value)!;
    // Only a value no other operation writes names its writer.
    if (p.seenAt === undefined || p.writers !== 1) continue;
    if (Number.isNaN(p.seenAt)) return undefined;
    if ((revision !== undefined && revision !== p.seenAt) || (branch !== undefined && branch !== put.branch)) return undefined;
    revision = p.seenAt;
    branch = put.branch;
  }
  if (revision === undefined) return undefined;
  return branch === undefined ? { revision } : { revision, succeeded: branch === "success" };
}

/** Settles the uncertain operations of a history (before it is split); `claimed` are the revisions answered writes made. */
export function settleUncertain(operations: readonly EtcdOperation[], events: readonly PutEvent[], claimed: ReadonlySet<number>): Settled {
  const pairs = pairsOf(operations, events);
  let placed = 0;
  const settled = operations.map((op) => {
    if (op.output !== undefined) return op;
    const output = provenOutcome(op, pairs);
    if (output === undefined) return op;
    placed++;
    return { ...op, output };
  });

  const dropped = droppable(settled, claimed);
  const left = dropped.size === 0 ? settled : settled.filter((op) => !dropped.has(op));
  const { operations: kept, unread } = withUnreadValues(left, pairs);
  return { operations: kept, placed, dropped: dropped.size, unread };
}

/** The uncertain operations that could only take a revision above every answer. */
function droppable(settled: readonly EtcdOperation[], claimed: ReadonlySet<number>): Set<EtcdOperation> {
  const dropped = new Set<EtcdOperation>();
  const answered = settled.filter((op) => op.output !== undefined);
  if (answered.some((op) => op.output!.revision === undefined)) return dropped;
  const taken = new Set(claimed);
  let highest = -Infinity;
  for (const op of answered) {
    highest = Math.max(highest, op.output!.revision!);
    if (op.ret === Infinity) taken.add(op.output!.revision!);
  }
  // The highest revision answered before each time: answers sorted by return, with running maxima.
  const byReturn = answered.filter((op) => op.ret !== Infinity).sort((a, b) => a.ret - b.ret);
  const returns = byReturn.map((op) => op.ret);
  const before: number[] = [];
  byReturn.forEach((op, i) => before.push(Math.max(i > 0 ? before[i - 1]! : -Infinity, op.output!.revision!)));
  const answeredBefore = (call: number): number | undefined => {
    let lo = 0;
    let hi = returns.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (returns[mid]! < call) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? undefined : before[lo - 1];
  };
  // Revisions no known write took, from the highest answered down to the lowest floor of an uncertain write.
  let lowest = Infinity;
  for (const op of settled) if (op.output === undefined) lowest = Math.min(lowest, answeredBefore(op.call) ?? Infinity);
  let highestFree = -Infinity;
  for (let revision = highest; revision > lowest; revision--) {
    if (!taken.has(revision)) {
      highestFree = revision;
      break;
    }
  }
  for (const op of settled) {
    if (op.output !== undefined) continue;
    const floor = answeredBefore(op.call);
    if (floor !== undefined && highestFree <= floor) dropped.add(op);
  }
  return dropped;
}

/** The operations with every uncertain put's value that nothing shows replaced by `unreadValue`. */
function withUnreadValues(operations: readonly EtcdOperation[], pairs: Map<number, Map<string, Pair>>): { operations: EtcdOperation[]; unread: number } {
  const compared = new Set<number>();
  for (const { input } of operations) if (input.f === "txn") for (const c of input.compare) if (c.target === "value") compared.add(c.key);
  const hidden = (request: EtcdRequest): EtcdRequest =>
    request.f === "put" && !compared.has(request.key) && !pairs.get(request.key)!.get(request.value)!.shown ? { ...request, value: unreadValue } : request;
  let unread = 0;
  const result = operations.map((op) => {
    if (op.output !== undefined || putsOf(op.input).length === 0) return op;
    const input: EtcdInput =
      op.input.f === "txn" ? { ...op.input, success: op.input.success.map(hidden), failure: op.input.failure.map(hidden) } : (hidden(op.input) as EtcdInput);
    if (putsOf(input).some((put) => put.request.value !== unreadValue)) return op;
    unread++;
    return { ...op, input };
  });
  return { operations: result, unread };
}
