// etcd KV model: get/put/delete and txn with compares on value, version, create or mod revision, with revisions (docs/workloads.md, "The etcd KV encoding").
import type { HistoryEntry } from "../../../record/history/entry.ts";
import type { WatchEvent } from "../../../record/values/watch.ts";
import { HistoryShapeError, type HistoryModel, type Operation } from "../model.ts";
import { partitionByKeys } from "../partition.ts";
import { contradictionsOf, rankOf, spansOf, type Spans } from "./etcd-order.ts";
import { settleUncertain, unreadValue, valuesRead, type PutEvent } from "./etcd-settle.ts";
import { PersistentArray } from "./persistent-array.ts";

export type EtcdTarget = "value" | "version" | "create" | "mod";
export type EtcdCompareOp = "=" | "!=" | "<" | ">";

export interface EtcdCompare {
  key: number;
  target: EtcdTarget;
  op: EtcdCompareOp;
  value: string | number;
}

export type EtcdRequest = { f: "get"; key: number } | { f: "put"; key: number; value: string } | { f: "delete"; key: number };

export type EtcdInput = EtcdRequest | { f: "txn"; compare: EtcdCompare[]; success: EtcdRequest[]; failure: EtcdRequest[] };

/** A get's result; revision fields absent when not recorded. */
export type EtcdGetResult = null | { value: string; modRevision?: number; createRevision?: number; version?: number };

export type EtcdResult = EtcdGetResult | { deleted: number } | undefined;

export interface EtcdOutput {
  revision?: number;
  /** get: its result; delete: {deleted}. */
  result?: EtcdResult;
  succeeded?: boolean;
  results?: EtcdResult[];
}

interface KeyValue {
  value: string;
  /** Revisions relative to the start of the history (1 = the first write in it). */
  create: number;
  mod: number;
  version: number;
}

export interface EtcdState {
  /** Absolute revision at the start of the history, or -1 while not yet learned. */
  base: number;
  /** Revisions since the start of the history. */
  rel: number;
  keys: PersistentArray<KeyValue>;
  keysHash: number;
  hash: number;
}

export type EtcdKvModel = HistoryModel<EtcdState, EtcdInput, EtcdOutput> & {
  inputKey(input: EtcdInput): string;
  keyName(key: number): string;
};

export interface EtcdKvOptions {
  /** The store's revision when the history starts, if known (a fresh etcd is at 1). */
  initialRevision?: number;
}

const targets = new Set(["value", "version", "create", "mod"]);
const compareOps = new Set(["=", "!=", "<", ">"]);

function stringHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

function kvHash(key: number, kv: KeyValue): number {
  let h = Math.imul(key + 1, 0x9e3779b1) ^ stringHash(kv.value);
  h = Math.imul(h ^ kv.mod, 0x85ebca6b) ^ Math.imul(kv.create, 0xc2b2ae35) ^ kv.version;
  return Math.imul(h ^ (h >>> 16), 0x7feb352d);
}

function withHash(base: number, rel: number, keys: PersistentArray<KeyValue>, keysHash: number): EtcdState {
  const hash = Math.imul(keysHash ^ Math.imul(rel, 0x27d4eb2f) ^ base, 0x165667b1);
  return { base, rel, keys, keysHash, hash };
}

const kvEqual = (a: KeyValue, b: KeyValue) => a.value === b.value && a.mod === b.mod && a.create === b.create && a.version === b.version;

/** A mutable view of a state while one request or txn applies. Returns false from checks that fail. */
class Draft {
  base: number;
  rel: number;
  keys: PersistentArray<KeyValue>;
  keysHash: number;
  wrote = false;
  /** Keys and values put by this step, to compare with what responses say that revision wrote. */
  readonly puts: { key: number; value: string }[] = [];
  /** Keys this step changed, and whether it deleted them. */
  readonly changed: { key: number; deleted: boolean }[] = [];

  constructor(state: EtcdState) {
    this.base = state.base;
    this.rel = state.rel;
    this.keys = state.keys;
    this.keysHash = state.keysHash;
  }

  /** Checks an absolute revision seen in a response against a relative one, learning the base if needed. */
  observe(absolute: number | undefined, relative: number): boolean {
    if (absolute === undefined) return true;
    if (this.base === -1) {
      if (absolute - relative < 1) return false;
      this.base = absolute - relative;
      return true;
    }
    return this.base + relative === absolute;
  }

  write(key: number, kv: KeyValue | undefined): void {
    this.changed.push({ key, deleted: kv === undefined });
    const old = this.keys.get(key);
    if (old !== undefined) this.keysHash ^= kvHash(key, old);
    if (kv !== undefined) this.keysHash ^= kvHash(key, kv);
    this.keys = this.keys.set(key, kv);
    this.wrote = true;
  }

  /** Applies one request at revision `at` (relative); checks its result if one was recorded. */
  apply(request: EtcdRequest, at: number, result: EtcdResult): boolean {
    const kv = this.keys.get(request.key);
    if (request.f === "get") return result === undefined || this.matchesGet(kv, result);
    if (request.f === "put") {
      this.puts.push({ key: request.key, value: request.value });
      this.write(request.key, { value: request.value, create: kv ? kv.create : at, mod: at, version: kv ? kv.version + 1 : 1 });
      return true;
    }
    if (result !== undefined && (result === null || !("deleted" in result) || result.deleted !== (kv ? 1 : 0))) return false;
    if (kv !== undefined) this.write(request.key, undefined);
    return true;
  }

  matchesGet(kv: KeyValue | undefined, result: EtcdResult): boolean {
    if (result === null) return kv === undefined;
    if (kv === undefined || result === undefined || !("value" in result) || result.value !== kv.value) return false;
    if (result.version !== undefined && result.version !== kv.version) return false;
    return this.observe(result.modRevision, kv.mod) && this.observe(result.createRevision, kv.create);
  }

  /** A compare's outcome, or undefined when it depends on a base revision not yet known. */
  compare(c: EtcdCompare): boolean | undefined {
    const kv = this.keys.get(c.key);
    if (c.target === "value") {
      if (kv === undefined) return false;
      return holds(kv.value < String(c.value) ? -1 : kv.value > String(c.value) ? 1 : 0, c.op);
    }
    let actual: number;
    const wanted = Number(c.value);
    if (c.target === "version") actual = kv?.version ?? 0;
    else if (kv === undefined) actual = 0;
    else if (this.base === -1) {
      // The base is at least 1, so the revision is at least 1 + its relative one: enough to decide a
      // compare with a smaller number ("exists": create > 0).
      const least = 1 + (c.target === "mod" ? kv.mod : kv.create);
      return wanted < least ? holds(1, c.op) : undefined;
    } else actual = this.base + (c.target === "mod" ? kv.mod : kv.create);
    return holds(actual < wanted ? -1 : actual > wanted ? 1 : 0, c.op);
  }

  state(): EtcdState {
    return withHash(this.base, this.rel, this.keys, this.keysHash);
  }
}

function holds(order: number, op: EtcdCompareOp): boolean {
  return op === "=" ? order === 0 : op === "!=" ? order !== 0 : op === "<" ? order < 0 : order > 0;
}

/**
 * What responses say the write at a revision stored: a get showing value v with modRevision r (and the
 * key's version then, when it shows one), a put answered at r.
 */
type Witnesses = Map<number, { key: number; value: string; version?: number }[]> & {
  /** Revisions written by operations with a known outcome: no uncertain write can have them. */
  claimed?: Set<number>;
  /**
   * Per key: the revisions with a version shown, ascending, those versions, and the revision that life of the
   * key began at (-Infinity for a key never deleted).
   */
  versions?: Map<number, { revisions: number[]; versions: number[]; creates: number[] }>;
  /** Per key: revisions it was not changed at (after the mod revision a read showed, up to the read). */
  unchanged?: Map<number, Spans>;
  /** Per key: revisions it was not deleted at (after the create revision a read showed, up to the read). */
  undeleted?: Map<number, Spans>;
};

/**
 * The most puts key `key` can have had by the end of revision `revision`: one less than the version shown
 * at the next revision a response showed one for, when that is the same life of the key (a version only
 * grows until the key is deleted).
 */
function versionCeiling(witnesses: Witnesses, key: number, revision: number): number {
  const shown = witnesses.versions?.get(key);
  if (shown === undefined) return Infinity;
  let lo = 0;
  let hi = shown.revisions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (shown.revisions[mid]! <= revision) lo = mid + 1;
    else hi = mid;
  }
  return lo < shown.revisions.length && shown.creates[lo]! <= revision ? shown.versions[lo]! - 1 : Infinity;
}

function witnessesOf(operations: readonly Operation<EtcdInput, EtcdOutput>[], events: readonly PutEvent[], impossible: ReadonlySet<EtcdOutput>): Witnesses {
  const witnesses: Witnesses = new Map();
  const add = (revision: number | undefined, key: number, value: string, version?: number) => {
    if (revision === undefined) return;
    const list = witnesses.get(revision) ?? [];
    if (!list.some((w) => w.key === key && w.value === value && w.version === version)) list.push(version === undefined ? { key, value } : { key, value, version });
    witnesses.set(revision, list);
  };
  witnesses.claimed = claimedRevisions(operations);
  for (const { input, output } of operations) if (output !== undefined && input.f === "put") add(output.revision, input.key, input.value);
  const reads = valuesRead(operations);
  for (const read of reads) add(read.modRevision, read.key, read.value, read.version);
  // A watch event adds the key's version to a write whose revision an answer already gave: nothing a
  // watch alone says (a wrong revision, an event never written) becomes a linearizability fact.
  for (const event of events) {
    if (event.version === undefined) continue;
    if (witnesses.get(event.revision)?.some((w) => w.key === event.key && w.value === event.value && w.version === undefined)) {
      add(event.revision, event.key, event.value, event.version);
    }
  }
  witnesses.versions = versionsShown(operations, witnesses, reads);
  const { unchanged, undeleted } = spansOf(operations, impossible);
  witnesses.unchanged = unchanged;
  witnesses.undeleted = undeleted;
  return witnesses;
}

/**
 * For each key, the versions shown by revision: every one witnesses show for a key no operation ever
 * deletes; for other keys, those reads show with the create revision that bounds that life of the key.
 */
function versionsShown(operations: readonly Operation<EtcdInput, EtcdOutput>[], witnesses: Witnesses, reads: ReturnType<typeof valuesRead>): NonNullable<Witnesses["versions"]> {
  const deleted = new Set<number>();
  for (const { input } of operations) {
    const requests = input.f === "txn" ? [...input.success, ...input.failure] : [input];
    for (const request of requests) if (request.f === "delete") deleted.add(request.key);
  }
  const byKey = new Map<number, [number, number, number][]>();
  const add = (key: number, revision: number, version: number, create: number) => {
    let shown = byKey.get(key);
    if (shown === undefined) byKey.set(key, (shown = []));
    shown.push([revision, version, create]);
  };
  for (const [revision, list] of witnesses) {
    for (const w of list) if (w.version !== undefined && !deleted.has(w.key)) add(w.key, revision, w.version, -Infinity);
  }
  for (const read of reads) {
    if (deleted.has(read.key) && read.modRevision !== undefined && read.version !== undefined && read.createRevision !== undefined) {
      add(read.key, read.modRevision, read.version, read.createRevision);
    }
  }
  const versions: NonNullable<Witnesses["versions"]> = new Map();
  for (const [key, shown] of byKey) {
    shown.sort((a, b) => a[0] - b[0]);
    versions.set(key, { revisions: shown.map(([revision]) => revision), versions: shown.map(([, version]) => version), creates: shown.map(([, , create]) => create) });
  }
  return versions;
}

/** Revisions written by operations with a known outcome. */
function claimedRevisions(operations: readonly Operation<EtcdInput, EtcdOutput>[]): Set<number> {
  const claimed = new Set<number>();
  for (const { input, output } of operations) if (output?.revision !== undefined && writesFor(input, output)) claimed.add(output.revision);
  return claimed;
}

/** Whether an operation with this known outcome certainly wrote (so its header revision is its own). */
function writesFor(input: EtcdInput, output: EtcdOutput): boolean {
  const deleted = (r: EtcdResult) => r != null && "deleted" in r && r.deleted > 0;
  if (input.f === "put") return true;
  if (input.f === "delete") return deleted(output.result);
  if (input.f !== "txn" || output.succeeded === undefined) return false;
  const branch = output.succeeded ? input.success : input.failure;
  return branch.some((r, i) => r.f === "put" || (r.f === "delete" && deleted(output.results?.[i])));
}

function stepEtcd(state: EtcdState, input: EtcdInput, output: EtcdOutput | undefined, witnesses: Witnesses): EtcdState | undefined {
  const draft = new Draft(state);
  const at = state.rel + 1;
  if (input.f !== "txn") {
    if (!draft.apply(input, at, output?.result)) return undefined;
  } else {
    let succeeded = true;
    for (const c of input.compare) {
      const holdsNow = draft.compare(c);
      if (holdsNow === undefined) {
        // The base revision is not known yet: only the recorded outcome can decide.
        if (output?.succeeded === undefined) return undefined;
        if (c.op === "=" && output.succeeded && (c.target === "mod" || c.target === "create")) {
          const kv = draft.keys.get(c.key)!;
          draft.observe(Number(c.value), c.target === "mod" ? kv.mod : kv.create);
        }
        succeeded &&= output.succeeded;
      } else succeeded &&= holdsNow;
    }
    if (output?.succeeded !== undefined && output.succeeded !== succeeded) return undefined;
    const branch = succeeded ? input.success : input.failure;
    const results = output?.results;
    if (results !== undefined && results.length !== branch.length) return undefined;
    for (let i = 0; i < branch.length; i++) {
      if (!draft.apply(branch[i]!, at, results?.[i])) return undefined;
    }
  }
  if (draft.wrote) {
    draft.rel = at;
    // Every response is a fact: if one shows what the write at this revision stored, this step must store it.
    if (draft.base !== -1) {
      const seen = witnesses.get(draft.base + at);
      // A version shown with the value checks, at this write, how many puts the key has had: uncertain writes
      // put on the wrong key fail here rather than at the read, often much later.
      const stored = (w: { key: number; value: string; version?: number }) =>
        draft.puts.some((p) => p.key === w.key && p.value === w.value) && (w.version === undefined || draft.keys.get(w.key)?.version === w.version);
      if (seen !== undefined && !seen.every(stored)) return undefined;
      if (output === undefined && witnesses.claimed?.has(draft.base + at)) return undefined;
      // An uncertain write must not change a key where reads show it unchanged (known ones fail at those reads).
      if (output === undefined && draft.changed.some((c) => witnesses.unchanged?.get(c.key)?.has(draft.base + at) || (c.deleted && witnesses.undeleted?.get(c.key)?.has(draft.base + at)))) return undefined;
      // No more puts than the next version shown allows: a put on a key whose count is full fails at once.
      if (draft.puts.some((p) => draft.keys.get(p.key)!.version > versionCeiling(witnesses, p.key, draft.base + at))) return undefined;
    }
  }
  if (output !== undefined && !draft.observe(output.revision, draft.rel)) return undefined;
  return draft.state();
}

function recordsRevisions(operation: Operation<EtcdInput, EtcdOutput>): boolean {
  const { input, output } = operation;
  if (input.f === "txn" && input.compare.some((c) => c.target === "mod" || c.target === "create")) return true;
  if (output === undefined) return false;
  if (output.revision !== undefined) return true;
  const revisionIn = (r: EtcdResult) => r != null && "value" in r && (r.modRevision !== undefined || r.createRevision !== undefined);
  return revisionIn(output.result) || (output.results?.some(revisionIn) ?? false);
}

function keysOf(input: EtcdInput): number[] {
  if (input.f !== "txn") return [input.key];
  return [...input.compare.map((c) => c.key), ...input.success.map((r) => r.key), ...input.failure.map((r) => r.key)];
}

function readOnly(input: EtcdInput): boolean {
  if (input.f === "get") return true;
  return input.f === "txn" && [...input.success, ...input.failure].every((r) => r.f === "get");
}

/** The puts watches delivered, from any watch completion that lists its events (record/values/watch.ts). */
function putEventsOf(entries: readonly HistoryEntry[], keyId: (name: string) => number): PutEvent[] {
  const events: PutEvent[] = [];
  for (const entry of entries) {
    if (entry.f !== "watch" || entry.type === "invoke") continue;
    const listed = (entry.value as { events?: unknown } | null | undefined)?.events;
    if (!Array.isArray(listed)) continue;
    // Read as recorded (record/values/watch.ts), checked field by field: a history from elsewhere may differ.
    for (const event of listed as Partial<WatchEvent>[]) {
      if (event?.type === "put" && typeof event.key === "string" && typeof event.value === "string" && typeof event.modRevision === "number") {
        const put: PutEvent = { key: keyId(event.key), value: event.value, revision: event.modRevision };
        if (typeof event.version === "number") put.version = event.version;
        events.push(put);
      }
    }
  }
  return events;
}

export function etcdKvModel(options: EtcdKvOptions = {}): EtcdKvModel {
  let witnesses: Witnesses = new Map();
  let putEvents: PutEvent[] = [];
  let impossible = new Set<EtcdOutput>();
  const keyIds = new Map<string, number>();
  const keyNames: string[] = [];
  const keyId = (name: string) => {
    let id = keyIds.get(name);
    if (id === undefined) {
      id = keyNames.length;
      keyIds.set(name, id);
      keyNames.push(name);
    }
    return id;
  };

  const request = (entry: HistoryEntry, raw: unknown, where: string): EtcdRequest => {
    const r = raw as { f?: unknown; key?: unknown; value?: unknown } | null;
    if (r === null || typeof r !== "object" || typeof r.key !== "string") {
      throw new HistoryShapeError(entry, `${where} must be {"f":"get"|"put"|"delete","key":"k","value":"v"}, got ${JSON.stringify(raw)}`);
    }
    if (r.f === "get" || r.f === "delete") return { f: r.f, key: keyId(r.key) };
    if (r.f === "put" && typeof r.value === "string") return { f: "put", key: keyId(r.key), value: r.value };
    throw new HistoryShapeError(entry, `${where} must be {"f":"get"|"put"|"delete","key":"k","value":"v"}, got ${JSON.stringify(raw)}`);
  };

  const compare = (entry: HistoryEntry, raw: unknown): EtcdCompare => {
    const c = raw as { key?: unknown; target?: unknown; op?: unknown; value?: unknown } | null;
    const ok =
      c !== null &&
      typeof c === "object" &&
      typeof c.key === "string" &&
      targets.has(c.target as string) &&
      compareOps.has(c.op as string) &&
      (c.target === "value" ? typeof c.value === "string" : typeof c.value === "number");
    if (!ok) {
      throw new HistoryShapeError(
        entry,
        `a txn compare must be {"key":"k","target":"value"|"version"|"create"|"mod","op":"="|"!="|"<"|">","value":"v" or a number}, got ${JSON.stringify(raw)}`,
      );
    }
    return { key: keyId(c.key as string), target: c.target as EtcdTarget, op: c.op as EtcdCompareOp, value: c.value as string | number };
  };

  const getResult = (entry: HistoryEntry, raw: unknown): EtcdGetResult => {
    if (raw === null) return null;
    if (typeof raw === "string") return { value: raw };
    const r = raw as { value?: unknown; modRevision?: unknown; createRevision?: unknown; version?: unknown };
    const optionalNumber = (v: unknown) => v === undefined || typeof v === "number";
    if (typeof r === "object" && typeof r.value === "string" && optionalNumber(r.modRevision) && optionalNumber(r.createRevision) && optionalNumber(r.version)) {
      const result: EtcdGetResult = { value: r.value };
      if (r.modRevision !== undefined) result.modRevision = r.modRevision as number;
      if (r.createRevision !== undefined) result.createRevision = r.createRevision as number;
      if (r.version !== undefined) result.version = r.version as number;
      return result;
    }
    throw new HistoryShapeError(entry, `a get result must be null, "v" or {"value":"v","modRevision":n,"createRevision":n,"version":n}, got ${JSON.stringify(raw)}`);
  };

  const deleteResult = (entry: HistoryEntry, raw: unknown): EtcdResult => {
    if (raw === undefined || raw === null) return undefined;
    if (typeof raw === "number") return { deleted: raw };
    if (typeof raw === "object" && typeof (raw as { deleted?: unknown }).deleted === "number") return { deleted: (raw as { deleted: number }).deleted };
    throw new HistoryShapeError(entry, `a delete result must be {"deleted":n}, got ${JSON.stringify(raw)}`);
  };

  const resultOf = (entry: HistoryEntry, request: EtcdRequest, raw: unknown): EtcdResult =>
    request.f === "get" ? getResult(entry, raw) : request.f === "delete" ? deleteResult(entry, raw) : undefined;

  const describeRequest = (r: EtcdRequest) =>
    r.f === "put" ? `put(${keyNames[r.key]}, ${r.value === unreadValue ? "a value nothing read" : JSON.stringify(r.value)})` : `${r.f}(${keyNames[r.key]})`;
  const describeResult = (r: EtcdResult) =>
    r === undefined ? "" : r === null ? "nil" : "deleted" in r ? `deleted ${r.deleted}` : JSON.stringify(r.value) + (r.modRevision !== undefined ? `@${r.modRevision}` : "");

  return {
    name: "etcd",
    keyName: (key) => keyNames[key]!,
    handles: (f) => f === "get" || f === "put" || f === "delete" || f === "txn",
    input(entry) {
      if (entry.f === "txn") {
        const v = entry.value as { compare?: unknown; success?: unknown; failure?: unknown } | null | undefined;
        const list = (x: unknown) => (x === undefined ? [] : Array.isArray(x) ? x : null);
        const compares = list(v?.compare);
        const success = list(v?.success);
        const failure = list(v?.failure);
        if (v === null || typeof v !== "object" || compares === null || success === null || failure === null) {
          throw new HistoryShapeError(entry, `a txn needs value {"compare":[...],"success":[...],"failure":[...]}, got ${JSON.stringify(entry.value)}`);
        }
        return {
          f: "txn",
          compare: compares.map((c) => compare(entry, c)),
          success: success.map((r, i) => request(entry, r, `success[${i}]`)),
          failure: failure.map((r, i) => request(entry, r, `failure[${i}]`)),
        };
      }
      if (entry.key === undefined) throw new HistoryShapeError(entry, `${entry.f} needs a key`);
      return request(entry, { f: entry.f, key: entry.key, value: entry.value }, entry.f);
    },
    output(entry, input) {
      const output: EtcdOutput = {};
      if (typeof entry.revision === "number") output.revision = entry.revision;
      if (input.f === "txn") {
        const v = entry.value as { succeeded?: unknown; results?: unknown } | null | undefined;
        if (v === null || typeof v !== "object" || typeof v.succeeded !== "boolean" || !(v.results === undefined || Array.isArray(v.results))) {
          throw new HistoryShapeError(entry, `an ok txn needs value {"succeeded":true|false,"results":[...]}, got ${JSON.stringify(entry.value)}`);
        }
        output.succeeded = v.succeeded;
        if (Array.isArray(v.results)) {
          const branch = v.succeeded ? input.success : input.failure;
          if (v.results.length !== branch.length) {
            throw new HistoryShapeError(entry, `txn results has ${v.results.length} entries for a branch of ${branch.length} operations`);
          }
          output.results = v.results.map((r, i) => resultOf(entry, branch[i]!, r));
        }
      } else if (input.f === "get") {
        if (entry.value === undefined) throw new HistoryShapeError(entry, "an ok get needs the value read (null when absent)");
        output.result = getResult(entry, entry.value);
      } else if (input.f === "delete") output.result = deleteResult(entry, entry.value);
      return output;
    },
    init: () => {
      const keys = PersistentArray.empty<KeyValue>(Math.max(1, keyNames.length));
      return withHash(options.initialRevision ?? -1, 0, keys, 0);
    },
    learn(entries) {
      putEvents = putEventsOf(entries, keyId);
    },
    settle(operations) {
      return settleUncertain(operations, putEvents, claimedRevisions(operations));
    },
    prepare(operations) {
      impossible = contradictionsOf(operations);
      witnesses = witnessesOf(operations, putEvents, impossible);
    },
    step: (state, input, output) => stepEtcd(state, input, output, witnesses),
    equal: (a, b) => a === b || (a.hash === b.hash && a.base === b.base && a.rel === b.rel && a.keys.equals(b.keys, kvEqual)),
    hash: (state) => state.hash,
    partition(operations) {
      if (operations.some(recordsRevisions)) return [operations.slice()];
      return partitionByKeys(operations, (op) => keysOf(op.input).map((k) => keyNames[k]!));
    },
    readOnly,
    // The store revision never decreases, and an operation answered at revision r ran at revision r or less:
    // below r when it made r.
    progress: (state) => (state.base === -1 ? -Infinity : state.base + state.rel),
    limit: (input, output) => (output.revision === undefined ? Infinity : rankOf(input, output) === 2 * output.revision ? output.revision - 1 : output.revision),
    rank: rankOf,
    impossible: (_input, output) => impossible.has(output),
    inputKey: (input) => JSON.stringify(input),
    describeOperation(input, output) {
      const suffix = output?.revision !== undefined ? ` @${output.revision}` : "";
      if (input.f !== "txn") {
        const result = output === undefined ? " -> ?" : input.f === "put" ? "" : ` -> ${describeResult(output.result)}`;
        return describeRequest(input) + result + suffix;
      }
      const cmp = input.compare.map((c) => `${c.target}(${keyNames[c.key]}) ${c.op} ${JSON.stringify(c.value)}`).join(" && ");
      const outcome = output === undefined ? "?" : output.succeeded ? "success" : "failure";
      return `txn(${cmp} ? ${input.success.map(describeRequest).join(", ")} : ${input.failure.map(describeRequest).join(", ")}) -> ${outcome}${suffix}`;
    },
    describeState(state) {
      const shown: string[] = [];
      for (const [key, kv] of state.keys.entries()) {
        if (shown.length === 10) {
          shown.push("...");
          break;
        }
        const mod = state.base === -1 ? `+${kv.mod}` : String(state.base + kv.mod);
        shown.push(`${keyNames[key]}=${JSON.stringify(kv.value)} (mod ${mod}, version ${kv.version})`);
      }
      const revision = state.base === -1 ? `start+${state.rel}` : String(state.base + state.rel);
      return `revision ${revision}: {${shown.join(", ")}}`;
    },
  };
}
