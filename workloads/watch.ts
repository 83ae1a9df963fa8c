// watch: writers put and delete keys under a prefix while watchers record every event they are sent.
//
// Writers put one key, delete one key, or write two keys in one txn (so one revision carries two
// events, and atomicity can be judged). Writes are recorded for the etcd KV model, so they are checked
// for linearizability and the watch checker (checkers/watch.ts) can compare the events with them.
//
// Each watcher runs back-to-back sessions: a session is one `watch` operation from a start revision,
// recorded as an invocation ({fromRevision, watcher}: the watcher's number, the same across the fresh
// process ids that replace one after an info) and, when it ends, a completion carrying every event
// received (type, key, value, mod/create revision, version) and how etcd split them into responses
// (`responses`: each response's header revision and how many of the events it carried, in order; a
// response with no events is a progress notification). A session ends after a while, on a disconnect
// or an error, or when the run stops; the next one resumes from the revision after the last event
// received, so every session boundary is a resume.
//
// A watch from a revision that has been compacted away is cancelled by etcd. The session then records
// the compaction (`compactRevision`: the oldest revision still kept) and the next session resumes
// from there: the events in between are gone for good, and the record says so. A watch cancelled at
// creation is a `fail` (it watched nothing).
import type { Etcd3, IWatchResponse } from "etcd3";
import { deadline, signIn, withDeadline } from "../harness/clients/etcd-client.ts";
import { errorMessage } from "../harness/clients/outcome.ts";
import { compactRevisionOf } from "../harness/cluster/member-storage.ts";
import { memberToBind } from "./binding.ts";
import { ClientPool, type ClientProcess, type Invocation } from "./client-pool.ts";
import { deleteInvocation, putInvocation } from "./etcd-invocations.ts";
import type { TxnSpec } from "../record/values/etcd.ts";
import type { WatchEvent, WatchResponseRecord, WatchSessionRecord, WatchSessionStart } from "../record/values/watch.ts";
import { prefixEnd, runTxn, storeRevision } from "./etcd-ops.ts";
import { openWatchStream, type WatchStream } from "./watch-stream.ts";
import { keyPicker } from "./keys.ts";
import type { Workload, WorkloadContext, WorkloadDefinition } from "./workload.ts";

const watchedPrefix = "w/";
/** How long a watcher waits before it tries again after a session a member refused or could not answer. */
const retryPauseMs = 200;
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How long a session lasts unless the settings make watches long-lived. */
const defaultSessionMs = 2000;
const drainBudgetMs = 5000;

export const watchWorkload: WorkloadDefinition = {
  name: "watch",
  summary: "writers put and delete keys under w/ while watchers record every event, resuming from the last revision",
  defaults: { keys: 5 },
  create: (context) => new WatchWorkload(context),
  checkers: () => [{ name: "linearizability-etcd" }, { name: "watch" }],
};

class WatchWorkload implements Workload {
  readonly #context: WorkloadContext;
  readonly #writers: ClientPool<Set<string>>;
  readonly #watchers: number;
  #running = false;
  #loops: Promise<void>[] = [];
  /**
   * Revision each watcher has certainly received everything up to (its last event, or a progress
   * notification), for the drain at the end. A response's header revision is no such bound: etcd
   * catches a lagging watcher up in batches, each stamped with the store's current revision.
   */
  readonly #seen: number[] = [];
  /** Highest revision of an acknowledged write that changed a watched key. */
  readonly #written = { revision: 0 };
  #wakeSessions = new Set<() => void>();
  #nextOneShot = 0;

  constructor(context: WorkloadContext) {
    this.#context = context;
    this.#watchers = Math.max(1, Math.floor(context.settings.concurrency / 3));
    this.#writers = new ClientPool(context, writerSource(context, this.#written));
  }

  start(): void {
    this.#running = true;
    const members = this.#context.cluster.members;
    this.#loops = Array.from({ length: this.#watchers }, (_, index) => {
      this.#seen[index] = 0;
      return this.#watch(index, members[index % members.length]!.name);
    });
    const kinds = this.#context.settings.watchOneShots ?? [];
    if (kinds.length > 0) this.#loops.push(...members.map((member, index) => this.#oneShots(member.name, kinds, index)));
    this.#writers.start(Math.max(1, this.#context.settings.concurrency - this.#watchers), this.#watchers);
  }

  async stop(): Promise<void> {
    await this.#writers.stop();
    // Give watchers the chance to receive every acknowledged write before their sessions end.
    const target = this.#written.revision;
    const started = Date.now();
    while (this.#seen.some((seen) => seen < target) && Date.now() - started < drainBudgetMs) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    this.#running = false;
    for (const wake of this.#wakeSessions) wake();
    await Promise.all(this.#loops);
  }

  async #watch(index: number, home: string): Promise<void> {
    const { cluster, processIds } = this.#context;
    let member = home;
    let process = processIds.next();
    let client = cluster.client(member);
    await signIn(client, this.#context.settings.opTimeoutMs * 5);
    let from = 1;
    while (this.#running) {
      const session = await this.#session(client, process, member, from, index);
      // A session cancelled before any event would be cancelled again at once, and one refused by a member
      // that is down would be refused again: pause, rather than spin.
      if ((session.cancelled && session.next === from) || session.type === "info") await pause(retryPauseMs);
      from = session.next;
      const members = cluster.members.map((entry) => entry.name);
      let bound = memberToBind(members, home, member, (left) => left[index % left.length] ?? member);
      // Hopping: the next session on the next member, as a client given every endpoint resumes wherever it
      // reconnects; the revision it resumes from may lie in that member's future.
      if (this.#context.settings.watchHop && members.length > 1) bound = members[(members.indexOf(member) + 1) % members.length] ?? bound;
      if (session.type === "info" || bound !== member) {
        // A new binding is a new process, as for every other client; the watcher, and so the chain of
        // sessions the checker follows, stays the same.
        client.close();
        member = bound;
        process = processIds.next();
        client = cluster.client(member);
        await signIn(client, this.#context.settings.opTimeoutMs * 5);
      }
    }
    client.close();
  }

  /**
   * One-shot watches on `member`, one after another, each a watcher of its own: opened at a revision
   * 50-100 ahead of the member's current one (etcd must send nothing older than that), or at the
   * member's compaction revision (the oldest it keeps: every event from there on must come).
   */
  async #oneShots(member: string, kinds: Array<"future" | "compaction">, slot: number): Promise<void> {
    const { cluster, processIds } = this.#context;
    const random = this.#context.randomFor("one-shot watch", slot, 0);
    let process = processIds.next();
    let client = cluster.client(member);
    for (let turn = 0; this.#running; turn++) {
      const kind = kinds[turn % kinds.length]!;
      const from = await this.#oneShotStart(client, member, kind, random.next()).catch(() => undefined);
      if (from === undefined || !this.#running) {
        await pause(retryPauseMs);
        continue;
      }
      const watcher = this.#watchers + 1 + this.#nextOneShot++;
      const session = await this.#session(client, process, member, from, watcher);
      if (session.type === "info") {
        await pause(retryPauseMs);
        client.close();
        process = processIds.next();
        client = cluster.client(member);
      }
    }
    client.close();
  }

  async #oneShotStart(client: Etcd3, member: string, kind: "future" | "compaction", roll: number): Promise<number> {
    if (kind === "compaction") {
      const compactRevision = await compactRevisionOf(this.#context.cluster.member(member).admin, this.#context.settings.opTimeoutMs);
      return Math.max(1, compactRevision ?? 1);
    }
    return (await storeRevision(client, deadline(this.#context.settings.opTimeoutMs))) + 50 + Math.floor(roll * 51);
  }

  /** One session of watcher `index` (a resuming watcher's own slot in #seen; a one-shot's number is past them). */
  async #session(client: Etcd3, process: number, member: string, from: number, index: number): Promise<{ type: "ok" | "fail" | "info"; next: number; cancelled?: boolean }> {
    const { recorder, settings } = this.#context;
    const prefix = `${this.#context.keyPrefix}${watchedPrefix}`;
    const base = { process, f: "watch", key: prefix, node: member };
    recorder.record({ ...base, type: "invoke", value: { fromRevision: from, watcher: index } satisfies WatchSessionStart });
    const events: WatchEvent[] = [];
    const responses: WatchResponseRecord[] = [];
    let headerRevision = 0;
    const onResponse = (response: IWatchResponse): void => {
      const revision = Number(response.header.revision);
      headerRevision = Math.max(headerRevision, revision);
      responses.push({ revision, eventCount: response.events.length });
      for (const event of response.events) events.push(eventOf(event));
      const bound = response.events.length > 0 ? events.at(-1)!.modRevision : revision;
      if (index < this.#watchers) this.#seen[index] = Math.max(this.#seen[index]!, bound);
    };
    let stream: WatchStream | undefined;
    try {
      stream = await withDeadline(openWatchStream(client, { key: prefix, rangeEnd: prefixEnd(prefix), startRevision: from }, onResponse), settings.opTimeoutMs, "watch stream");
      await withDeadline(stream.created, settings.opTimeoutMs, "watch creation");
    } catch (error) {
      stream?.close();
      const refusal = stream ? await stream.ended : undefined;
      const message = refusal?.cancelled ? refusal.reason : errorMessage(error);
      const compacted = refusal?.compactRevision ?? (cancelled(message) ? await this.#compactedPast(member, from) : undefined);
      if (compacted !== undefined && from < compacted) {
        recorder.record({ ...base, type: "fail", value: { fromRevision: from, compactRevision: compacted }, error: message });
        return { type: "fail", next: compacted, cancelled: true };
      }
      recorder.record({ ...base, type: "info", value: { fromRevision: from }, error: message });
      return { type: "info", next: from, cancelled: refusal?.cancelled ?? cancelled(message) };
    }
    const open = stream;
    // The session ends when its time is up, when the stream ends, or when the run stops.
    let wake: () => void = () => {};
    const sessionEnd = new Promise<void>((resolve) => (wake = resolve));
    const timer = setTimeout(wake, settings.watchSessionMs ?? defaultSessionMs);
    this.#wakeSessions.add(wake);
    void open.ended.then(wake);
    const progress = settings.watchProgressMs ? setInterval(() => open.requestProgress(), settings.watchProgressMs) : undefined;
    await sessionEnd;
    clearTimeout(timer);
    clearInterval(progress);
    this.#wakeSessions.delete(wake);
    open.close();
    const ending = await open.ended;
    const interrupted = ending.reason === "closed" ? undefined : ending.reason;
    let next = events.length > 0 ? events.at(-1)!.modRevision + 1 : from;
    // Asked at once, before a later compaction can move the compact revision on.
    const compacted = ending.cancelled ? (ending.compactRevision ?? (await this.#compactedPast(member, next))) : undefined;
    if (compacted !== undefined && next < compacted) next = compacted;
    recorder.record({
      ...base,
      type: "ok",
      value: {
        fromRevision: from,
        nextRevision: next,
        headerRevision,
        events,
        responses,
        ...(interrupted ? { interrupted } : {}),
        ...(compacted !== undefined && next === compacted ? { compactRevision: compacted } : {}),
      } satisfies WatchSessionRecord,
    });
    return { type: "ok", next, cancelled: ending.cancelled };
  }

  /** The member's compact revision when `revision` lies before it (so a watch from there is refused), else undefined. */
  async #compactedPast(member: string, revision: number): Promise<number | undefined> {
    const compactRevision = await compactRevisionOf(this.#context.cluster.member(member).admin, this.#context.settings.opTimeoutMs).catch(() => undefined);
    return compactRevision !== undefined && revision < compactRevision ? compactRevision : undefined;
  }
}

/** etcd cancels a watch it cannot serve, a compacted start revision above all; etcd3 reports "Watcher canceled: <reason>". */
const cancelled = (message: string): boolean => /watcher canceled|compacted/i.test(message);

function eventOf(event: IWatchResponse["events"][number]): WatchEvent {
  const kv = event.kv;
  const base = { key: kv.key.toString(), modRevision: Number(kv.mod_revision) };
  if (event.type === "Delete") return { type: "delete", ...base };
  return { type: "put", ...base, value: kv.value.toString(), createRevision: Number(kv.create_revision), version: Number(kv.version) };
}

function writerSource({ settings, keyPrefix }: WorkloadContext, written: { revision: number }) {
  const keys = keyPicker(settings.keys, settings.distribution);
  const keyName = (index: number): string => `${keyPrefix}${watchedPrefix}${index}`;
  let nextValue = 1;
  const wrote = (revision: number): number => ((written.revision = Math.max(written.revision, revision)), revision);
  return {
    initialState: (): Set<string> => new Set(),
    next({ random, state: present }: ClientProcess<Set<string>>): Invocation {
      const roll = random.next();
      if (settings.writeMix === "create-delete") {
        // Each key put, then deleted, then put again (by this process's last word on it): half the revisions are tombstones.
        const key = keyName(keys.pick(random));
        if (present.has(key)) return deleteInvocation(key, (revision) => (present.delete(key), wrote(revision)));
        return putInvocation(key, String(nextValue++), (revision) => (present.add(key), wrote(revision)));
      }
      const deletes = settings.writeMix !== "no-delete";
      if (roll < 0.15 && deletes) return deleteInvocation(keyName(keys.pick(random)), wrote);
      if (roll < 0.3 && settings.keys >= 2) {
        // Two keys in one revision: a put and a put, or a put and a delete.
        const [first, second] = keys.pickDistinct(2, random).map(keyName) as [string, string];
        const spec: TxnSpec = {
          compare: [],
          success: [{ f: "put", key: first, value: String(nextValue++) }, random.next() < 0.5 || !deletes ? { f: "put", key: second, value: String(nextValue++) } : { f: "delete", key: second }],
          failure: [],
        };
        return {
          f: "txn",
          value: spec,
          async run(client, options) {
            const outcome = await runTxn(client, spec, options);
            return { type: "ok", value: { succeeded: outcome.succeeded, results: outcome.results }, revision: wrote(outcome.revision) };
          },
        };
      }
      return putInvocation(keyName(keys.pick(random)), String(nextValue++), wrote);
    },
  };
}
