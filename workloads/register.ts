// register: reads, writes and compare-and-set of a few keys, each written value unique so reads name writes.
//
// With casCompare "value" the history uses the register model (f read/write/cas; a cas whose compare
// does not hold is ok with value false: etcd evaluated the compare inside a committed txn, so the
// rejection is an observation the model checks, not a call that did nothing). With "mod-revision" it uses the etcd KV model (f get/put/txn), and a cas
// is a txn on the key's mod revision as last seen by the process, its failure branch reading the key.
import { ClientPool, type ClientProcess, type Invocation } from "./client-pool.ts";
import { putInvocation, getInvocation } from "./etcd-invocations.ts";
import type { TxnSpec } from "../record/values/etcd.ts";
import { getKey, runTxn } from "./etcd-ops.ts";
import { keyPicker } from "./keys.ts";
import type { WorkloadContext, WorkloadDefinition } from "./workload.ts";

export interface Seen {
  /** Last value and mod revision this process saw per key. */
  values: Map<string, number>;
  modRevisions: Map<string, number>;
}

/** Shares of reads and compare-and-sets unless the settings say otherwise; writes are the rest. */
const defaultReadShare = 0.4;
const defaultCasShare = 0.3;

export const registerWorkload: WorkloadDefinition = {
  name: "register",
  summary: "read, write and compare-and-set a few keys; unique values; checked for linearizability",
  create: (context) => new ClientPool(context, registerSource(context)),
  checkers: (settings) => [{ name: settings.casCompare === "value" ? "linearizability" : "linearizability-etcd" }],
};

function registerSource({ settings, keyPrefix }: WorkloadContext) {
  const keys = keyPicker(settings.keys, settings.distribution);
  const serializable = settings.readMode === "serializable";
  const readShare = settings.readShare ?? defaultReadShare;
  const writeShare = Math.max(0, 1 - readShare - (settings.casShare ?? defaultCasShare));
  let nextValue = 1;
  return {
    initialState: (): Seen => ({ values: new Map(), modRevisions: new Map() }),
    next(process: ClientProcess<Seen>): Invocation {
      const key = `${keyPrefix}r${keys.pick(process.random)}`;
      const roll = process.random.next();
      const seen = process.state;
      if (settings.casCompare === "mod-revision") {
        if (roll < readShare) return getInvocation(key, serializable, (result) => seen.modRevisions.set(key, result?.modRevision ?? 0));
        const value = String(nextValue++);
        if (roll < readShare + writeShare || !seen.modRevisions.has(key)) return putInvocation(key, value);
        return etcdCas(key, seen.modRevisions.get(key)!, value, seen);
      }
      const last = seen.values.get(key);
      if (roll < readShare || (roll >= readShare + writeShare && last === undefined)) return read(key, serializable, seen);
      const value = nextValue++;
      if (roll < readShare + writeShare) return write(key, value, seen);
      return casInvocation(key, last!, value, seen);
    },
  };
}

function read(key: string, serializable: boolean, seen: Seen): Invocation {
  return {
    f: "read",
    key,
    async run(client, options) {
      const { result, revision } = await getKey(client, key, serializable, options);
      const value = result === null ? null : Number(result.value);
      if (value !== null) seen.values.set(key, value);
      return { type: "ok", value, revision };
    },
  };
}

function write(key: string, value: number, seen: Seen): Invocation {
  return {
    f: "write",
    key,
    value,
    async run(client, options) {
      const response = await client.kv.put({ key: Buffer.from(key), value: Buffer.from(String(value)) }, options);
      seen.values.set(key, value);
      return { type: "ok", revision: Number(response.header.revision) };
    },
  };
}

export function casInvocation(key: string, from: number, to: number, seen: Seen): Invocation {
  return {
    f: "cas",
    key,
    value: [from, to],
    async run(client, options) {
      const outcome = await runTxn(
        client,
        { compare: [{ key, target: "value", op: "=", value: String(from) }], success: [{ f: "put", key, value: String(to) }], failure: [] },
        options,
      );
      if (!outcome.succeeded) return { type: "ok", value: false, revision: outcome.revision };
      seen.values.set(key, to);
      return { type: "ok", revision: outcome.revision };
    },
  };
}

function etcdCas(key: string, modRevision: number, value: string, seen: Seen): Invocation {
  const spec: TxnSpec = {
    compare: [{ key, target: "mod", op: "=", value: modRevision }],
    success: [{ f: "put", key, value }],
    failure: [{ f: "get", key }],
  };
  return {
    f: "txn",
    value: spec,
    async run(client, options) {
      const outcome = await runTxn(client, spec, options);
      const current = outcome.succeeded ? outcome.revision : ((outcome.results[0] as { modRevision?: number } | null)?.modRevision ?? 0);
      seen.modRevisions.set(key, current);
      return { type: "ok", value: { succeeded: outcome.succeeded, results: outcome.results }, revision: outcome.revision };
    },
  };
}
