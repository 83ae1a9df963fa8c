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
import type { Etcd3, IWatchResponse, Watcher } from "etcd3";
import { withDeadline } from "../harness/clients/etcd-client.ts";
import { errorMessage } from "../harness/clients/outcome.ts";
import { compactRevisionOf } from "../harness/cluster/member-storage.ts";
import { memberToBind } from "./binding.ts";
import { ClientPool, type ClientProcess, type Invocation } from "./client-pool.ts";
import { deleteInvocation, putInvocation } from "./etcd-invocations.ts";
import type { TxnSpec } from "../record/values/etcd.ts";
import type { WatchEvent, WatchResponseRecord, WatchSessionRecord, WatchSessionStart } from "../record/values/watch.ts";
import { runTxn } from "./etcd-ops.ts";
import { keyPicker } from "./keys.ts";
import type { Workload, WorkloadContext, WorkloadDefinition } from "./workload.ts";

const watchedPrefix = "w/";
const sessionMs = 2000;
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
  readonly #writers: ClientPool<null>;
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
    let from = 1;
    while (this.#running) {
      const session = await this.#session(client, process, member, from, index);
      // A session cancelled before any event would be cancelled again at once: pause, rather than spin.
      if (session.cancelled && session.next === from) await new Promise((resolve) => setTimeout(resolve, 100));
      from = session.next;
      const members = cluster.members.map((entry) => entry.name);
      const bound = memberToBind(members, home, member, (left) => left[index % left.length] ?? member);
      if (session.type === "info" || bound !== member) {
        // A new binding is a new process, as for every other client; the watcher, and so the chain of
        // sessions the checker follows, stays the same.
        client.close();
        member = bound;
        process = processIds.next();
        client = cluster.client(member);
      }
    }
    client.close();
  }

  async #session(client: Etcd3, process: number, member: string, from: number, index: number): Promise<{ type: "ok" | "fail" | "info"; next: number; cancelled?: boolean }> {
    const { recorder, settings } = this.#context;
    const prefix = `${this.#context.keyPrefix}${watchedPrefix}`;
    const base = { process, f: "watch", key: prefix, node: member };
    recorder.record({ ...base, type: "invoke", value: { fromRevision: from, watcher: index } satisfies WatchSessionStart });
    const events: WatchEvent[] = [];
    const responses: WatchResponseRecord[] = [];
    let headerRevision = 0;
    let interrupted: string | undefined;
    let end: () => void = () => {};
    const ended = new Promise<void>((resolve) => (end = resolve));
    const onData = (response: IWatchResponse): void => {
      const revision = Number(response.header.revision);
      headerRevision = Math.max(headerRevision, revision);
      responses.push({ revision, eventCount: response.events.length });
      for (const event of response.events) events.push(eventOf(event));
      const bound = response.events.length > 0 ? events.at(-1)!.modRevision : revision;
      this.#seen[index] = Math.max(this.#seen[index]!, bound);
    };
    // Built, not created: the watcher is attached to its client's stream at once, so it can be taken off
    // again when its creation fails.
    const watcher = client.watch().prefix(prefix).startRevision(String(from)).watcher();
    try {
      await withDeadline(created(watcher), settings.opTimeoutMs, "watch creation");
    } catch (error) {
      // A watcher left attached is reconnected by etcd3 for good, even after its client is closed (a
      // member killed while the watch was created): take it off now.
      void watcher.cancel().catch(() => undefined);
      const message = errorMessage(error);
      const compacted = cancelled(message) ? await this.#compactedPast(member, from) : undefined;
      if (compacted !== undefined) {
        recorder.record({ ...base, type: "fail", value: { fromRevision: from, compactRevision: compacted }, error: message });
        return { type: "fail", next: compacted, cancelled: true };
      }
      recorder.record({ ...base, type: "info", value: { fromRevision: from }, error: message });
      return { type: "info", next: from, cancelled: cancelled(message) };
    }
    watcher.on("data", onData);
    watcher.on("disconnected", (error) => ((interrupted ??= `disconnected: ${errorMessage(error)}`), end()));
    watcher.on("error", (error) => ((interrupted ??= `error: ${errorMessage(error)}`), end()));
    const timer = setTimeout(end, sessionMs);
    this.#wakeSessions.add(end);
    await ended;
    clearTimeout(timer);
    this.#wakeSessions.delete(end);
    watcher.removeListener("data", onData);
    const cancelledByEtcd = interrupted !== undefined && cancelled(interrupted);
    let next = events.length > 0 ? events.at(-1)!.modRevision + 1 : from;
    // Asked at once, before a later compaction can move the compact revision on.
    const compacted = cancelledByEtcd ? await this.#compactedPast(member, next) : undefined;
    if (compacted !== undefined) next = compacted;
    // etcd has dropped a watch it cancelled: cancelling it again would wait for an answer that never comes.
    if (!cancelledByEtcd) await withDeadline(watcher.cancel(), settings.opTimeoutMs, "watch cancel").catch(() => undefined);
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
        ...(compacted !== undefined ? { compactRevision: compacted } : {}),
      } satisfies WatchSessionRecord,
    });
    return { type: "ok", next, cancelled: cancelledByEtcd };
  }

  /** The member's compact revision when `revision` lies before it (so a watch from there is refused), else undefined. */
  async #compactedPast(member: string, revision: number): Promise<number | undefined> {
    const compactRevision = await compactRevisionOf(this.#context.cluster.member(member).admin, this.#context.settings.opTimeoutMs).catch(() => undefined);
    return compactRevision !== undefined && revision < compactRevision ? compactRevision : undefined;
  }
}

/** Resolves when etcd has created the watch, rejects on the error etcd3 reports instead. */
function created(watcher: Watcher): Promise<void> {
  return new Promise((resolve, reject) => {
    watcher.once("connected", () => resolve());
    watcher.once("error", reject);
  });
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
    initialState: () => null,
    next({ random }: ClientProcess<null>): Invocation {
      const roll = random.next();
      if (roll < 0.15) return deleteInvocation(keyName(keys.pick(random)), wrote);
      if (roll < 0.3 && settings.keys >= 2) {
        // Two keys in one revision: a put and a put, or a put and a delete.
        const [first, second] = keys.pickDistinct(2, random).map(keyName) as [string, string];
        const spec: TxnSpec = {
          compare: [],
          success: [{ f: "put", key: first, value: String(nextValue++) }, random.next() < 0.5 ? { f: "put", key: second, value: String(nextValue++) } : { f: "delete", key: second }],
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
