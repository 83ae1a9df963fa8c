// Plain sequential implementations of each datatype, written apart from the models: generators run them to
// make histories, and the brute-force checker replays them to judge histories.
import type { HistoryEntry } from "../../../../record/history/entry.ts";
import type { Random } from "../../../../harness/random.ts";

/** An operation request as a workload would record it at invocation. */
export interface Request {
  f: string;
  key?: string;
  value?: unknown;
}

/** What a completed request returns: the completion's value, and the header revision if any. */
export interface Response {
  value?: unknown;
  revision?: number;
}

/**
 * A datatype as a mutable store: `apply` performs a request and returns what the client sees; `check` says
 * whether a recorded completion (undefined: outcome unknown) is what `apply` would return, applying it if so.
 */
export interface Spec<Store> {
  name: string;
  create(): Store;
  clone(store: Store): Store;
  randomRequest(random: Random, key: string, fresh: () => number): Request;
  apply(store: Store, request: Request): Response;
  /** Whether the request can change the store (a read whose outcome is unknown constrains nothing). */
  writes(request: Request): boolean;
}

/** Replays a recorded operation on a copy of the store: the new store, or undefined if the result disagrees. */
export function replay<Store>(spec: Spec<Store>, store: Store, invoke: HistoryEntry, completion: HistoryEntry | undefined): Store | undefined {
  const next = spec.clone(store);
  const request: Request = { f: invoke.f, key: invoke.key, value: invoke.value };
  const response = spec.apply(next, request);
  if (completion === undefined) return next;
  if (completion.revision !== undefined && completion.revision !== response.revision) return undefined;
  return sameResult(request, response.value, completion.value) ? next : undefined;
}

function sameResult(request: Request, actual: unknown, recorded: unknown): boolean {
  // Writes echo their input; only reads, cas outcomes, deletes and txns carry results worth comparing.
  if (request.f === "write" || request.f === "put" || request.f === "append") return true;
  if (request.f === "cas") return (recorded === false) === (actual === false);
  return JSON.stringify(actual ?? null) === JSON.stringify(recorded ?? null);
}

type RegisterStore = Map<string, unknown>;

/** Registers: read/write/cas, initially null. */
export const registerSpec: Spec<RegisterStore> = {
  name: "register",
  create: () => new Map(),
  clone: (store) => new Map(store),
  randomRequest(random, key, fresh) {
    const r = random.next();
    if (r < 0.4) return { f: "read", key, value: null };
    if (r < 0.7) return { f: "write", key, value: fresh() };
    // Compare with some value written so far (or nil), swap in a new one.
    const from = random.below(4) === 0 ? null : 1 + random.below(fresh());
    return { f: "cas", key, value: [from, fresh()] };
  },
  apply(store, request) {
    const key = request.key ?? "";
    const current = store.get(key) ?? null;
    if (request.f === "read") return { value: current };
    if (request.f === "write") {
      store.set(key, request.value);
      return { value: request.value };
    }
    const [from, to] = request.value as [unknown, unknown];
    if (JSON.stringify(current) !== JSON.stringify(from ?? null)) return { value: false };
    store.set(key, to);
    return { value: request.value };
  },
  writes: (request) => request.f !== "read",
};

type KvStore = Map<string, string>;

/** Strings with get/put/append, initially "". */
export const kvSpec: Spec<KvStore> = {
  name: "kv",
  create: () => new Map(),
  clone: (store) => new Map(store),
  randomRequest(random, key, fresh) {
    const r = random.next();
    if (r < 0.45) return { f: "get", key, value: null };
    if (r < 0.55) return { f: "put", key, value: `x${fresh()}y` };
    return { f: "append", key, value: `x${fresh()}y` };
  },
  apply(store, request) {
    const key = request.key ?? "";
    if (request.f === "get") return { value: store.get(key) ?? "" };
    const value = request.value as string;
    store.set(key, request.f === "put" ? value : (store.get(key) ?? "") + value);
    return { value };
  },
  writes: (request) => request.f !== "get",
};

interface EtcdKey {
  value: string;
  createRevision: number;
  modRevision: number;
  version: number;
}

interface EtcdStore {
  revision: number;
  keys: Map<string, EtcdKey>;
}

type EtcdOp = { f: "get" | "put" | "delete"; key: string; value?: string };
type EtcdCompare = { key: string; target: "value" | "version" | "create" | "mod"; op: "=" | "!=" | "<" | ">"; value: string | number };

/** etcd's KV API as a plain in-memory store (a fresh etcd: revision 1, no keys). */
export const etcdSpec: Spec<EtcdStore> = {
  name: "etcd",
  create: () => ({ revision: 1, keys: new Map() }),
  clone: (store) => ({ revision: store.revision, keys: new Map(store.keys) }),
  randomRequest(random, key, fresh) {
    const r = random.next();
    if (r < 0.35) return { f: "get", key, value: null };
    if (r < 0.6) return { f: "put", key, value: `v${fresh()}` };
    if (r < 0.7) return { f: "delete", key, value: null };
    const target = random.pick(["value", "version", "mod", "create"] as const);
    const compare: EtcdCompare = {
      key,
      target,
      op: random.pick(["=", "!=", "<", ">"] as const),
      value: target === "value" ? `v${random.below(fresh())}` : random.below(4),
    };
    return {
      f: "txn",
      value: { compare: [compare], success: [{ f: "put", key, value: `v${fresh()}` }, { f: "get", key }], failure: [{ f: "get", key }] },
    };
  },
  apply(store, request) {
    if (request.f !== "txn") {
      const op = { f: request.f, key: request.key!, value: request.value } as EtcdOp;
      const wrote = store.revision + 1;
      const result = applyEtcd(store, op, wrote);
      if (result.changed) store.revision = wrote;
      return { value: result.value, revision: store.revision };
    }
    const txn = request.value as { compare: EtcdCompare[]; success: EtcdOp[]; failure: EtcdOp[] };
    const succeeded = txn.compare.every((c) => compareEtcd(store, c));
    const wrote = store.revision + 1;
    let changed = false;
    const results = (succeeded ? txn.success : txn.failure).map((op) => {
      const result = applyEtcd(store, op, wrote);
      changed ||= result.changed;
      return result.value;
    });
    if (changed) store.revision = wrote;
    return { value: { succeeded, results }, revision: store.revision };
  },
  writes: (request) => request.f !== "get",
};

function applyEtcd(store: EtcdStore, op: EtcdOp, revision: number): { value: unknown; changed: boolean } {
  const kv = store.keys.get(op.key);
  if (op.f === "get") return { value: kv === undefined ? null : { ...kv }, changed: false };
  if (op.f === "put") {
    const value = op.value!;
    store.keys.set(op.key, { value, createRevision: kv?.createRevision ?? revision, modRevision: revision, version: (kv?.version ?? 0) + 1 });
    return { value: null, changed: true };
  }
  store.keys.delete(op.key);
  return { value: { deleted: kv === undefined ? 0 : 1 }, changed: kv !== undefined };
}

function compareEtcd(store: EtcdStore, c: EtcdCompare): boolean {
  const kv = store.keys.get(c.key);
  if (c.target === "value" && kv === undefined) return false;
  const actual =
    c.target === "value" ? kv!.value : c.target === "version" ? (kv?.version ?? 0) : c.target === "mod" ? (kv?.modRevision ?? 0) : (kv?.createRevision ?? 0);
  const order = actual < c.value ? -1 : actual > c.value ? 1 : 0;
  return c.op === "=" ? order === 0 : c.op === "!=" ? order !== 0 : c.op === "<" ? order < 0 : order > 0;
}
