// wr: read-write register transactions over 1-3 keys, each one etcd txn: reads of unique values, and writes of new ones.
//
// Each micro-operation on a key is a read, a write, or a read then a write; an etcd txn performs them in
// order with no compare (etcd applies a txn atomically at one revision). A get returns the value and its
// mod revision; a committed txn's header revision is the revision of its writes. Read-only txns are
// served by the member alone under --read-mode serializable. The elle-wr checker
// (checkers/transactional.ts) orders each key's writes by those revisions.
import { ClientPool, type ClientProcess, type Invocation } from "./client-pool.ts";
import type { Random } from "../harness/random.ts";
import type { KeyRequest, TxnSpec } from "../record/values/etcd.ts";
import { runTxn } from "./etcd-ops.ts";
import { keyPicker, transactionKeys } from "./keys.ts";
import type { WorkloadContext, WorkloadDefinition } from "./workload.ts";

export const wrWorkload: WorkloadDefinition = {
  name: "wr",
  summary: "read-write register transactions over 1-3 keys as etcd txns, unique values; anomalies named by the elle-wr checker",
  defaults: { keys: 8 },
  create: (context) => new ClientPool(context, wrSource(context)),
  checkers: () => [{ name: "elle-wr" }],
};

function wrSource({ settings, keyPrefix }: WorkloadContext) {
  const keys = keyPicker(settings.keys, settings.distribution);
  const serializable = settings.readMode === "serializable";
  let nextValue = 1;
  const newTransaction = (random: Random): KeyRequest[] =>
    transactionKeys(keys, random).flatMap(({ index, access }): KeyRequest[] => {
      const key = `${keyPrefix}w${index}`;
      if (access === "read") return [{ f: "get", key }];
      const put: KeyRequest = { f: "put", key, value: String(nextValue++) };
      return access === "write" ? [put] : [{ f: "get", key }, put];
    });
  return {
    initialState: () => undefined,
    next(process: ClientProcess<undefined>): Invocation {
      let requests = newTransaction(process.random);
      if (serializable && requests.every((request) => request.f === "get")) requests = requests.map((request) => ({ ...request, serializable }));
      const spec: TxnSpec = { compare: [], success: requests, failure: [] };
      return {
        f: "txn",
        value: spec,
        async run(client, options) {
          const outcome = await runTxn(client, spec, options);
          return { type: "ok", value: { succeeded: outcome.succeeded, results: outcome.results }, revision: outcome.revision };
        },
      };
    },
  };
}
