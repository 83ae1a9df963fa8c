// Generated list-append histories for bench:elle: a serial execution laid out over concurrent clients, as Jepsen's generator shapes them.
//
// Transactions of `ops` micro-operations (reads and appends, evenly) on distinct keys of a pool of active keys; a key
// retires after 32 appends and a fresh one takes its place, so lists stay short as in Jepsen's append
// test. Transaction i takes effect at time 10*i inside its own interval, on one of `clients` processes;
// `infoRate` of them end uncertain (half of those took effect), and their process is replaced.
import type { HistoryEntry } from "../record/history/entry.ts";

export interface ListAppendOptions {
  transactions: number;
  ops: number;
  clients: number;
  infoRate: number;
  activeKeys: number;
  seed: number;
  /** jepsen: [["append", k, v], ["r", k, [..]]] values; etcd: the etcd txns (gets and puts of JSON lists) our workload records. */
  form: "jepsen" | "etcd";
}

export function listAppendHistory(options: ListAppendOptions): HistoryEntry[] {
  let state = options.seed >>> 0 || 1;
  const random = (n: number) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
  const lists = new Map<number, number[]>();
  // etcd's view of each key (for the etcd form): revisions as a real store would give them.
  const stored = new Map<number, { modRevision: number; createRevision: number; version: number }>();
  let revision = 1;
  const active: number[] = Array.from({ length: options.activeKeys }, (_, i) => i);
  let nextKey = options.activeKeys;
  let nextValue = 1;
  const processOf = Array.from({ length: options.clients }, (_, i) => i);
  const events: { time: number; entry: Omit<HistoryEntry, "index"> }[] = [];
  for (let i = 0; i < options.transactions; i++) {
    const slot = i % options.clients;
    const process = processOf[slot]!;
    const commit = 10 * i;
    const call = commit - random(150);
    const ret = commit + 1 + random(150);
    const info = random(10_000) < options.infoRate * 10_000;
    const applies = !info || random(2) === 0;
    const micro: [string, number, unknown][] = [];
    const requests: { f: string; key: string; value?: string }[] = [];
    const results: unknown[] = [];
    const touched = new Map<number, number[]>();
    // Distinct keys per transaction: etcd refuses a txn that puts one key twice.
    const picked = new Set<number>();
    for (let o = 0; o < options.ops; o++) {
      let index = random(active.length);
      while (picked.has(index)) index = (index + 1) % active.length;
      picked.add(index);
      const key = active[index]!;
      const list = touched.get(key) ?? lists.get(key) ?? [];
      if (random(2) === 0) {
        micro.push(["r", key, [...list]]);
        requests.push({ f: "get", key: `a${key}` });
        const kv = stored.get(key);
        results.push(list.length === 0 || !kv ? null : { value: JSON.stringify(list), ...kv });
      } else {
        const value = nextValue++;
        const next = [...list, value];
        micro.push(["append", key, value]);
        requests.push({ f: "put", key: `a${key}`, value: JSON.stringify(next) });
        results.push(null);
        touched.set(key, next);
        if (list.length + 1 >= 32) active[index] = nextKey++;
      }
    }
    if (applies && touched.size > 0) {
      revision++;
      for (const [key, list] of touched) {
        lists.set(key, list);
        const kv = stored.get(key);
        stored.set(key, { modRevision: revision, createRevision: kv?.createRevision ?? revision, version: (kv?.version ?? 0) + 1 });
      }
    }
    const spec = { compare: [], success: requests, failure: [] };
    const entryOf = (type: HistoryEntry["type"], time: number): Omit<HistoryEntry, "index"> => {
      const done = type === "ok";
      if (options.form === "jepsen") return { time, process, type, f: "txn", value: micro.map(([f, k, v]) => [f, k, f === "r" && !done ? null : v]) };
      return { time, process, type, f: "txn", value: done ? { succeeded: true, results } : spec, ...(done ? { revision } : {}) };
    };
    events.push({ time: call, entry: entryOf("invoke", call) });
    if (info) processOf[slot] = process + options.clients;
    events.push({ time: ret, entry: entryOf(info ? "info" : "ok", ret) });
  }
  events.sort((a, b) => a.time - b.time);
  return events.map((event, index) => ({ index, ...event.entry }) as HistoryEntry);
}
