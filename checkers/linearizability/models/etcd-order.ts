// What an etcd history's answered revisions prove of every linearization: each answer's place in the order, spans of revisions reads show a key kept through, and answers no order can place.
import type { Operation } from "../model.ts";
import type { EtcdInput, EtcdOutput, EtcdRequest, EtcdResult } from "./etcd-kv.ts";

/**
 * Where an answered operation stands in every linearization (Model.rank): at its revision, the write that
 * made it before the operations answered there that wrote nothing. Undefined without a revision, or when the
 * output does not say whether it wrote (a delete whose count was not recorded).
 */
export function rankOf(input: EtcdInput, output: EtcdOutput): number | undefined {
  if (output.revision === undefined) return undefined;
  if (input.f !== "txn") return rankAt(output.revision, [input], [output.result]);
  if (output.succeeded === undefined) return undefined;
  return rankAt(output.revision, output.succeeded ? input.success : input.failure, output.results);
}

function rankAt(revision: number, requests: readonly EtcdRequest[], results: readonly EtcdResult[] | undefined): number | undefined {
  let unsure = false;
  for (let i = 0; i < requests.length; i++) {
    const request = requests[i]!;
    if (request.f === "put") return 2 * revision;
    if (request.f !== "delete") continue;
    const result = results?.[i];
    if (result == null || !("deleted" in result)) unsure = true;
    else if (result.deleted > 0) return 2 * revision;
  }
  return unsure ? undefined : 2 * revision + 1;
}

/** The keys an answered write's branch certainly changed, with the value put (undefined: deleted). */
function changesOf(input: EtcdInput, output: EtcdOutput): { key: number; value: string | undefined }[] {
  const requests = input.f !== "txn" ? [input] : output.succeeded ? input.success : input.failure;
  const results = input.f !== "txn" ? [output.result] : (output.results ?? []);
  const changes: { key: number; value: string | undefined }[] = [];
  requests.forEach((request, i) => {
    const result = results[i];
    if (request.f === "put") changes.push({ key: request.key, value: request.value });
    else if (request.f === "delete" && result != null && "deleted" in result && result.deleted > 0) changes.push({ key: request.key, value: undefined });
  });
  return changes;
}

/** Whether a sorted list holds a revision in (from, to]. */
function anyWithin(sorted: readonly number[] | undefined, from: number, to: number): boolean {
  if (sorted === undefined) return false;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= from) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo]! <= to;
}

/**
 * Answered operations no linearization can place, whatever the uncertain ones did (Model.impossible): a
 * write answered at a revision an earlier-invoked answered write made, or where a read showed another key or
 * value stored; a read showing a key unchanged, or not deleted, at a revision where an answered write
 * changed or deleted it, or a mod revision past its own.
 */
export function contradictionsOf(operations: readonly Operation<EtcdInput, EtcdOutput>[]): Set<EtcdOutput> {
  const impossible = new Set<EtcdOutput>();
  const writers = new Map<number, Operation<EtcdInput, EtcdOutput>>();
  const changed = new Map<number, { any: number[]; deletes: number[] }>();
  const known = operations.filter((op) => op.output?.revision !== undefined);
  for (const op of known) {
    const revision = op.output!.revision!;
    if (rankOf(op.input, op.output!) !== 2 * revision) continue;
    const first = writers.get(revision);
    if (first !== undefined && first.call <= op.call) impossible.add(op.output!);
    else {
      if (first !== undefined) impossible.add(first.output!);
      writers.set(revision, op);
    }
    for (const { key, value } of changesOf(op.input, op.output!)) {
      let lists = changed.get(key);
      if (lists === undefined) changed.set(key, (lists = { any: [], deletes: [] }));
      lists.any.push(revision);
      if (value === undefined) lists.deletes.push(revision);
    }
  }
  for (const lists of changed.values()) {
    lists.any.sort((a, b) => a - b);
    lists.deletes.sort((a, b) => a - b);
  }
  for (const op of known) {
    const { input, output } = op as { input: EtcdInput; output: EtcdOutput };
    const end = rankOf(input, output) === 2 * output.revision! + 1 ? output.revision! : output.revision! - 1;
    const read = (request: EtcdRequest, result: EtcdResult) => {
      if (request.f !== "get" || result == null || !("value" in result)) return;
      if (result.modRevision !== undefined) {
        const writer = writers.get(result.modRevision);
        if (writer !== undefined && !changesOf(writer.input, writer.output!).some((c) => c.key === request.key && c.value === result.value)) impossible.add(writer.output!);
        if (result.modRevision > end + 1 || anyWithin(changed.get(request.key)?.any, result.modRevision, end)) impossible.add(output);
      }
      if (result.createRevision !== undefined && anyWithin(changed.get(request.key)?.deletes, result.createRevision, end)) impossible.add(output);
    };
    if (input.f === "get") read(input, output.result);
    else if (input.f === "txn" && output.results !== undefined) {
      const branch = output.succeeded ? input.success : input.failure;
      branch.forEach((request, i) => read(request, output.results![i]));
    }
  }
  return impossible;
}

/** Revision spans (from, to], merged: whether a revision lies in one. */
export class Spans {
  readonly #from: Float64Array;
  readonly #to: Float64Array;

  constructor(spans: [number, number][]) {
    spans.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [from, to] of spans) {
      const last = merged.at(-1);
      if (last !== undefined && from <= last[1]) last[1] = Math.max(last[1], to);
      else merged.push([from, to]);
    }
    this.#from = Float64Array.from(merged, ([from]) => from);
    this.#to = Float64Array.from(merged, ([, to]) => to);
  }

  has(revision: number): boolean {
    let lo = 0;
    let hi = this.#from.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#from[mid]! < revision) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && revision <= this.#to[lo - 1]!;
  }
}

/**
 * What answered reads show about each key's history: a value read at revision h with mod revision m was not
 * changed at any revision in (m, h], and one with create revision c not deleted in (c, h]. A read inside a
 * txn that may write sees that txn's own writes or not, so there the spans stop at h - 1.
 */
export function spansOf(operations: readonly Operation<EtcdInput, EtcdOutput>[], impossible: ReadonlySet<EtcdOutput>): { unchanged: Map<number, Spans>; undeleted: Map<number, Spans> } {
  const unchanged = new Map<number, [number, number][]>();
  const undeleted = new Map<number, [number, number][]>();
  const add = (spans: Map<number, [number, number][]>, key: number, from: number, to: number) => {
    if (from >= to) return;
    let list = spans.get(key);
    if (list === undefined) spans.set(key, (list = []));
    list.push([from, to]);
  };
  for (const { input, output } of operations) {
    // A read that cannot be placed must not bar uncertain writes elsewhere: the search is to stop at it.
    if (output?.revision === undefined || impossible.has(output)) continue;
    const end = rankOf(input, output) === 2 * output.revision + 1 ? output.revision : output.revision - 1;
    const read = (request: EtcdRequest, result: EtcdResult) => {
      if (request.f !== "get" || result == null || !("value" in result)) return;
      if (result.modRevision !== undefined) add(unchanged, request.key, result.modRevision, end);
      if (result.createRevision !== undefined) add(undeleted, request.key, result.createRevision, end);
    };
    if (input.f === "get") read(input, output.result);
    else if (input.f === "txn" && output.results !== undefined) {
      const branch = output.succeeded ? input.success : input.failure;
      branch.forEach((request, i) => read(request, output.results![i]));
    }
  }
  const merged = (spans: Map<number, [number, number][]>) => new Map([...spans].map(([key, list]) => [key, new Spans(list)]));
  return { unchanged: merged(unchanged), undeleted: merged(undeleted) };
}
