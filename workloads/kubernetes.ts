// kubernetes: etcd used the way the Kubernetes API server's storage uses it.
//
// Objects live under /registry/pods/default/. A list is one range over the prefix at the current
// revision (the revision comes back as its resourceVersion); a create is a txn that puts only if the
// key's create revision is 0; an update and a delete are txns guarded on the mod revision the process
// last saw, whose failure branch reads the current object (as GuaranteedUpdate does before retrying).
// Everything is recorded for the etcd KV model: a list as an atomic read of every key of the object
// space (null for absent ones), which is what a range over the prefix returns.
import { ClientPool, type ClientProcess, type Invocation } from "./client-pool.ts";
import { getInvocation } from "./etcd-invocations.ts";
import type { GetResult, TxnSpec } from "../record/values/etcd.ts";
import { getResult, prefixEnd, runTxn } from "./etcd-ops.ts";
import { keyPicker } from "./keys.ts";
import type { WorkloadContext, WorkloadDefinition } from "./workload.ts";

const objectsPrefix = "/registry/pods/default/";

type Cache = Map<string, number>;

export const kubernetesWorkload: WorkloadDefinition = {
  name: "kubernetes",
  summary: "list, get, create, guarded update and delete of objects, as the Kubernetes API server does; checked for linearizability",
  defaults: { keys: 10 },
  create: (context) => new ClientPool(context, kubernetesSource(context)),
  checkers: () => [{ name: "linearizability-etcd" }],
};

function kubernetesSource({ settings, keyPrefix }: WorkloadContext) {
  const keys = keyPicker(settings.keys, settings.distribution);
  const prefix = `${keyPrefix}${objectsPrefix}`;
  const objectKey = (index: number): string => `${prefix}pod-${index}`;
  const universe = Array.from({ length: settings.keys }, (_, index) => objectKey(index));
  const serializable = settings.readMode === "serializable";
  let nextObject = 1;
  return {
    initialState: (): Cache => new Map(),
    next(process: ClientProcess<Cache>): Invocation {
      const key = objectKey(keys.pick(process.random));
      const roll = process.random.next();
      const cache = process.state;
      if (roll < 0.2) return list(prefix, universe, serializable, cache);
      if (roll < 0.4 || (roll >= 0.6 && !cache.has(key) && settings.writeMix !== "create-delete")) return getInvocation(key, serializable, (result) => remember(cache, key, result));
      const object = JSON.stringify({ name: key.slice(prefix.length), generation: nextObject++ });
      if (settings.writeMix === "create-delete") {
        // Objects are created and deleted, never updated: each key's revisions are a create and a tombstone.
        const modRevision = cache.get(key);
        if (modRevision) return guarded(key, { key, target: "mod", op: "=", value: modRevision }, { f: "delete", key }, cache);
        return guarded(key, { key, target: "create", op: "=", value: 0 }, { f: "put", key, value: object }, cache);
      }
      if (roll < 0.6) return guarded(key, { key, target: "create", op: "=", value: 0 }, { f: "put", key, value: object }, cache);
      const modRevision = cache.get(key)!;
      if (roll < 0.85 || settings.writeMix === "no-delete") return guarded(key, { key, target: "mod", op: "=", value: modRevision }, { f: "put", key, value: object }, cache);
      return guarded(key, { key, target: "mod", op: "=", value: modRevision }, { f: "delete", key }, cache);
    },
  };
}

function remember(cache: Cache, key: string, result: GetResult): void {
  cache.set(key, result?.modRevision ?? 0);
}

function list(prefix: string, universe: string[], serializable: boolean, cache: Cache): Invocation {
  const spec: TxnSpec = { compare: [], success: universe.map((key) => ({ f: "get", key })), failure: [] };
  return {
    f: "txn",
    value: spec,
    async run(client, options) {
      const response = await client.kv.range({ key: Buffer.from(prefix), range_end: Buffer.from(prefixEnd(prefix)), serializable }, options);
      const byKey = new Map(response.kvs.map((kv) => [kv.key.toString(), getResult(kv)]));
      const results = universe.map((key) => byKey.get(key) ?? null);
      universe.forEach((key, index) => remember(cache, key, results[index]!));
      return { type: "ok", value: { succeeded: true, results }, revision: Number(response.header.revision) };
    },
  };
}

function guarded(key: string, compare: TxnSpec["compare"][number], write: TxnSpec["success"][number], cache: Cache): Invocation {
  const spec: TxnSpec = { compare: [compare], success: [write], failure: [{ f: "get", key }] };
  return {
    f: "txn",
    value: spec,
    async run(client, options) {
      const outcome = await runTxn(client, spec, options);
      if (outcome.succeeded) cache.set(key, write.f === "put" ? outcome.revision : 0);
      else remember(cache, key, outcome.results[0] as GetResult);
      return { type: "ok", value: { succeeded: outcome.succeeded, results: outcome.results }, revision: outcome.revision };
    },
  };
}
