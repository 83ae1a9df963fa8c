// append: Elle-style list-append transactions over 1-3 keys, each one atomic etcd txn guarded on revisions.
//
// A transaction is a list of micro-operations, each a read of a key's list or an append of a unique
// number to it. It runs in two etcd calls: a read-only txn that reads every key it touches (values and
// mod revisions; served by the member alone under --read-mode serializable), then a txn that compares
// each key's mod revision with what was read and, when all still hold, performs the micro-operations in
// order (a read is a get, an append a put of the extended list); when one does not, its failure branch
// reads the keys. Each call is one transaction to the elle-append checker (checkers/transactional.ts),
// which judges them strictly serializable by the dependency cycles they form.
import { ClientPool, type ClientProcess, type Invocation } from "./client-pool.ts";
import type { Random } from "../harness/random.ts";
import type { GetResult, KeyRequest, TxnSpec } from "../record/values/etcd.ts";
import { runTxn } from "./etcd-ops.ts";
import { keyPicker, transactionKeys } from "./keys.ts";
import type { WorkloadContext, WorkloadDefinition } from "./workload.ts";

type MicroOp = { kind: "read"; key: string } | { kind: "append"; key: string; element: number };

interface Pending {
  ops: MicroOp[];
  /** Lists and mod revisions read by the snapshot, when the next step is the guarded txn. */
  snapshot?: Map<string, { list: number[]; modRevision: number }>;
}

export const appendWorkload: WorkloadDefinition = {
  name: "append",
  summary: "list-append transactions over 1-3 keys as guarded etcd txns; anomalies named by the elle-append checker",
  defaults: { keys: 8 },
  create: (context) => new ClientPool(context, appendSource(context)),
  checkers: () => [{ name: "elle-append" }],
};

function appendSource({ settings, keyPrefix }: WorkloadContext) {
  const keys = keyPicker(settings.keys, settings.distribution);
  const serializable = settings.readMode === "serializable";
  let nextElement = 1;
  const newTransaction = (random: Random): MicroOp[] =>
    transactionKeys(keys, random).flatMap(({ index, access }): MicroOp[] => {
      const key = `${keyPrefix}a${index}`;
      if (access === "read") return [{ kind: "read", key }];
      const append: MicroOp = { kind: "append", key, element: nextElement++ };
      return access === "write" ? [append] : [{ kind: "read", key }, append];
    });
  return {
    initialState: (): Pending => ({ ops: [] }),
    next(process: ClientProcess<Pending>): Invocation {
      const pending = process.state;
      if (!pending.snapshot) {
        pending.ops = newTransaction(process.random);
        return snapshot(pending, serializable);
      }
      return commit(pending);
    },
  };
}

function touched(ops: MicroOp[]): string[] {
  return [...new Set(ops.map((op) => op.key))];
}

function snapshot(pending: Pending, serializable: boolean): Invocation {
  const gets = touched(pending.ops).map((key): KeyRequest => (serializable ? { f: "get", key, serializable } : { f: "get", key }));
  const spec: TxnSpec = { compare: [], success: gets, failure: [] };
  return {
    f: "txn",
    value: spec,
    async run(client, options) {
      const outcome = await runTxn(client, spec, options);
      pending.snapshot = new Map(
        spec.success.map((request, index) => {
          const result = outcome.results[index] as GetResult;
          return [request.key, { list: result ? (JSON.parse(result.value) as number[]) : [], modRevision: result?.modRevision ?? 0 }];
        }),
      );
      return { type: "ok", value: { succeeded: outcome.succeeded, results: outcome.results }, revision: outcome.revision };
    },
  };
}

function commit(pending: Pending): Invocation {
  const snapshot = pending.snapshot!;
  const lists = new Map([...snapshot].map(([key, seen]) => [key, [...seen.list]]));
  const success: KeyRequest[] = pending.ops.map((op) => {
    if (op.kind === "read") return { f: "get", key: op.key };
    const list = lists.get(op.key)!;
    list.push(op.element);
    return { f: "put", key: op.key, value: JSON.stringify(list) };
  });
  const spec: TxnSpec = {
    compare: [...snapshot].map(([key, seen]) => ({ key, target: "mod", op: "=", value: seen.modRevision })),
    success,
    failure: [...snapshot.keys()].map((key) => ({ f: "get", key })),
  };
  // Whatever the outcome, the next transaction starts from a fresh snapshot.
  delete pending.snapshot;
  return {
    f: "txn",
    value: spec,
    async run(client, options) {
      const outcome = await runTxn(client, spec, options);
      return { type: "ok", value: { succeeded: outcome.succeeded, results: outcome.results }, revision: outcome.revision };
    },
  };
}
