// Histories shaped like the watch workload's at any scale: writers put, delete and write two keys in one txn, watchers record every event.
import type { HistoryEntry } from "../../../../record/history/entry.ts";
import { seededRandom } from "../../../../harness/random.ts";

export interface WatchLikeOptions {
  seed: number;
  /** Client operations invoked (writes and reads). */
  operations: number;
  /** Keys w/0, w/1, ... (the workload's default is 5). */
  keys?: number;
  /** Concurrent writer processes; a process whose operation ends `info` continues under a fresh id. */
  clients?: number;
  /** Operations per second over all clients: it sets the times, nanoseconds as a run records them. */
  rate?: number;
  /** Share of operations that end `info`: 40% took effect in their interval, 30% up to a second later, 30% never. */
  infoRate?: number;
  /** Share of gets (the workload's own reads are its final ones; the kubernetes workload reads often). */
  readShare?: number;
  /** Watchers, each recording every event in back-to-back sessions of `sessionMs`. */
  watchers?: number;
  sessionMs?: number;
}

type Request = { f: "put"; key: string; value: string } | { f: "delete"; key: string } | { f: "get"; key: string };
type Kv = { value: string; createRevision: number; modRevision: number; version: number };
type Event = { type: "put"; key: string; value: string; modRevision: number; createRevision: number; version: number } | { type: "delete"; key: string; modRevision: number };

interface Op {
  process: number;
  f: "put" | "delete" | "get" | "txn";
  key: string | undefined;
  value: unknown;
  requests: Request[];
  call: number;
  /** When it takes effect, or undefined when it never does. */
  at: number | undefined;
  ret: number;
  outcome: "ok" | "info";
  response?: { value: unknown; revision: number };
}

const ms = 1_000_000;

/**
 * A linearizable history: each operation takes effect at a point of its interval on a plain store that
 * starts at revision 1 (a fresh etcd), uncertain ones at that point, later or never. Operations are
 * recorded as the workloads record them (workloads/etcd-invocations.ts, workloads/watch.ts).
 */
export function watchLikeHistory(options: WatchLikeOptions): HistoryEntry[] {
  const random = seededRandom(options.seed);
  const keys = Array.from({ length: options.keys ?? 5 }, (_, i) => `w/${i}`);
  const clients = options.clients ?? 60;
  const cycle = (clients / (options.rate ?? 3000)) * 1000 * ms;
  const infoRate = options.infoRate ?? 0.01;
  const readShare = options.readShare ?? 0;
  const ops: Op[] = [];
  let nextValue = 1;
  let nextProcess = clients;
  const processes = Array.from({ length: clients }, (_, p) => p);
  const clocks = Array.from({ length: clients }, () => random.next() * cycle);
  for (let i = 0; i < options.operations; i++) {
    const c = i % clients;
    const call = Math.round(clocks[c]!);
    // Latency and pause between operations average one cycle, so the clients together keep the rate.
    const ret = Math.round(call + (0.2 + 1.3 * random.next()) * cycle);
    clocks[c] = ret + (0.05 + 0.2 * random.next()) * cycle;
    const outcome = random.next() < infoRate ? "info" : "ok";
    let at: number | undefined = call + random.next() * (ret - call);
    if (outcome === "info") {
      const r = random.next();
      if (r >= 0.7) at = undefined;
      else if (r >= 0.4) at = ret + random.next() * 1000 * ms;
    }
    const key = random.pick(keys);
    const roll = random.next();
    let op: Omit<Op, "process" | "call" | "at" | "ret" | "outcome">;
    if (roll < readShare) op = { f: "get", key, value: null, requests: [{ f: "get", key }] };
    else if (roll < readShare + 0.15) op = { f: "delete", key, value: null, requests: [{ f: "delete", key }] };
    else if (roll < readShare + 0.3 && keys.length >= 2) {
      const second = random.pick(keys.filter((k) => k !== key));
      const requests: Request[] = [
        { f: "put", key, value: String(nextValue++) },
        random.next() < 0.5 ? { f: "put", key: second, value: String(nextValue++) } : { f: "delete", key: second },
      ];
      op = { f: "txn", key: undefined, value: { compare: [], success: requests, failure: [] }, requests };
    } else op = { f: "put", key, value: String(nextValue++), requests: [{ f: "put", key, value: String(nextValue - 1) }] };
    ops.push({ ...op, process: processes[c]!, call, at, ret, outcome });
    if (outcome === "info") processes[c] = nextProcess++;
  }

  // The store, applied in the order operations take effect; every change an event at its revision.
  const store = new Map<string, Kv>();
  let revision = 1;
  const events: { time: number; revision: number; events: Event[] }[] = [];
  const applied = ops.filter((op) => op.at !== undefined).sort((a, b) => a.at! - b.at!);
  for (const op of applied) {
    const changes: Event[] = [];
    const results = op.requests.map((request): unknown => {
      const kv = store.get(request.key);
      if (request.f === "get") return kv === undefined ? null : { ...kv };
      if (request.f === "put") {
        const next = { value: request.value, createRevision: kv?.createRevision ?? revision + 1, modRevision: revision + 1, version: (kv?.version ?? 0) + 1 };
        store.set(request.key, next);
        changes.push({ type: "put", key: request.key, ...next });
        return null;
      }
      if (kv !== undefined) {
        store.delete(request.key);
        changes.push({ type: "delete", key: request.key, modRevision: revision + 1 });
      }
      return { deleted: kv === undefined ? 0 : 1 };
    });
    if (changes.length > 0) events.push({ time: op.at!, revision: ++revision, events: changes });
    op.response = { value: op.f === "txn" ? { succeeded: true, results } : op.f === "put" ? op.value : results[0], revision };
  }

  const timed: { time: number; entry: Omit<HistoryEntry, "index"> }[] = [];
  for (const op of ops) {
    const base = { process: op.process, f: op.f, ...(op.key !== undefined ? { key: op.key } : {}) };
    timed.push({ time: op.call, entry: { ...base, time: op.call, type: "invoke", value: op.value } });
    if (op.outcome === "info") timed.push({ time: op.ret, entry: { ...base, time: op.ret, type: "info", value: op.value, error: "deadline exceeded" } });
    else timed.push({ time: op.ret, entry: { ...base, time: op.ret, type: "ok", value: op.response!.value, revision: op.response!.revision } });
  }
  watchSessions(events, options.watchers ?? 2, (options.sessionMs ?? 2000) * ms, nextProcess, timed);
  timed.sort((a, b) => a.time - b.time);
  return timed.map(({ entry }, index) => ({ index, ...entry }) as HistoryEntry);
}

/** Back-to-back sessions per watcher, each from the revision after the last one it received. */
function watchSessions(
  revisions: { time: number; revision: number; events: Event[] }[],
  watchers: number,
  sessionNs: number,
  firstProcess: number,
  timed: { time: number; entry: Omit<HistoryEntry, "index"> }[],
): void {
  const end = revisions.at(-1)?.time ?? 0;
  for (let w = 0; w < watchers; w++) {
    const process = firstProcess + w;
    let from = 1;
    let next = 0;
    for (let start = w * (sessionNs / Math.max(1, watchers)); start <= end; start += sessionNs) {
      const stop = start + sessionNs;
      const seen: Event[] = [];
      while (next < revisions.length && revisions[next]!.time < stop) seen.push(...revisions[next++]!.events);
      const base = { process, f: "watch", key: "w/" };
      timed.push({ time: start, entry: { ...base, time: start, type: "invoke", value: { fromRevision: from, watcher: w } } });
      const nextRevision = seen.length > 0 ? seen.at(-1)!.modRevision + 1 : from;
      timed.push({ time: stop, entry: { ...base, time: stop, type: "ok", value: { fromRevision: from, nextRevision, events: seen } } });
      from = nextRevision;
    }
  }
}

export type PlantedKind = "stale-read" | "lagging-read" | "revisions-against-real-time";

interface Recorded {
  invoke: HistoryEntry;
  completion: HistoryEntry;
}

type GetValue = { value: string; modRevision: number } | null;

/**
 * One violation planted in a history from watchLikeHistory (with reads), with why no linearization exists;
 * undefined when the history has no place for it.
 *  - stale-read: a get returns what an earlier get of the key returned, though a write acknowledged before
 *    it was invoked, at a revision up to its own, changed the key in between.
 *  - lagging-read: the same, with the earlier get's revision too, as a member behind the others would answer.
 *  - revisions-against-real-time: two puts, the second invoked after the first was acknowledged, swap revisions.
 */
export function plantViolation(entries: readonly HistoryEntry[], kind: PlantedKind): { entries: HistoryEntry[]; proof: string } | undefined {
  const pending = new Map<number | string, HistoryEntry>();
  const ops: Recorded[] = [];
  for (const entry of entries) {
    if (entry.type === "invoke") pending.set(entry.process, entry);
    else {
      const invoke = pending.get(entry.process)!;
      pending.delete(entry.process);
      if (entry.type === "ok" && entry.f !== "watch") ops.push({ invoke, completion: entry });
    }
  }
  const replace = (changed: Map<HistoryEntry, HistoryEntry>) => entries.map((entry) => changed.get(entry) ?? entry);
  if (kind === "revisions-against-real-time") {
    const puts = ops.filter((op) => op.invoke.f === "put");
    for (const a of puts.slice(Math.floor(puts.length / 2))) {
      const b = puts.find((op) => op.invoke.time > a.completion.time && op.completion.revision! > a.completion.revision!);
      if (b === undefined) continue;
      const changed = new Map([
        [a.completion, { ...a.completion, revision: b.completion.revision }],
        [b.completion, { ...b.completion, revision: a.completion.revision }],
      ]);
      return { entries: replace(changed), proof: `the put at index ${b.invoke.index}, invoked after the one at index ${a.invoke.index} was acknowledged, takes its lower revision` };
    }
    return undefined;
  }
  const writers = new Map<number, Recorded>();
  for (const op of ops) if (op.invoke.f !== "get" && op.invoke.f !== "delete") writers.set(op.completion.revision!, op);
  const gets = ops.filter((op) => op.invoke.f === "get" && op.completion.value !== null);
  for (const read of gets.slice(Math.floor(gets.length / 2))) {
    const shown = read.completion.value as GetValue;
    const writer = writers.get(shown!.modRevision);
    if (writer === undefined || writer.completion.time >= read.invoke.time) continue;
    const earlier = gets.find((op) => {
      const was = op.completion.value as GetValue;
      return op.invoke.key === read.invoke.key && was!.modRevision < shown!.modRevision && (kind === "stale-read" || op.completion.revision! < shown!.modRevision);
    });
    if (earlier === undefined) continue;
    const stale = { ...read.completion, value: earlier.completion.value, ...(kind === "lagging-read" ? { revision: earlier.completion.revision } : {}) };
    const proof = `the get at index ${read.invoke.index} shows ${read.invoke.key} as at index ${earlier.completion.index}, though the write acknowledged at index ${writer.completion.index} (revision ${shown!.modRevision}) changed it before the get was invoked`;
    return { entries: replace(new Map([[read.completion, stale]])), proof };
  }
  return undefined;
}
