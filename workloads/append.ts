// append: Elle-style list-append transactions over 1-3 keys, each one atomic etcd txn guarded on revisions.
//
// A transaction is a list of micro-operations, each a read of a key's list or an append of a unique
// number to it. It runs in two etcd calls: a read-only txn that reads every key it touches (values and
// mod revisions), then a txn that compares each key's mod revision with what was read and, when all
// still hold, performs the micro-operations in order (a read is a get, an append a put of the extended
// list); when one does not, its failure branch reads the keys. Both calls are recorded as etcd txns and
// checked with the etcd KV model: every committed transaction is one atomic etcd operation, so a
// linearizable history of them is a strictly serializable history of the transactions. We chose this
// over an Elle-style dependency-cycle search because it reuses a checker proven against a brute-force
// enumerator, judges the read-only snapshots too, and is exact on the uncertain (info) transactions.
import { ClientPool, type ClientProcess, type Invocation } from "./client-pool.ts";
import type { Random } from "../harness/random.ts";
import type { GetResult, KeyRequest, TxnSpec } from "../record/values/etcd.ts";
import { runTxn } from "./etcd-ops.ts";
import { keyPicker } from "./keys.ts";
import type { WorkloadContext, WorkloadDefinition } from "./workload.ts";

type MicroOp = { kind: "read"; key: string } | { kind: "append"; key: string; element: number };

interface Pending {
  ops: MicroOp[];
  /** Lists and mod revisions read by the snapshot, when the next step is the guarded txn. */
  snapshot?: Map<string, { list: number[]; modRevision: number }>;
}

export const appendWorkload: WorkloadDefinition = {
  name: "append",
  summary: "list-append transactions over 1-3 keys as guarded etcd txns; checked as strict serializable",
  defaults: { keys: 8 },
  create: (context) => new ClientPool(context, appendSource(context)),
  checkers: () => [{ name: "linearizability-etcd" }],
};

function appendSource({ settings, keyPrefix }: WorkloadContext) {
  const keys = keyPicker(settings.keys, settings.distribution);
  let nextElement = 1;
  const newTransaction = (random: Random): MicroOp[] =>
    keys.pickDistinct(1 + random.below(3), random).flatMap((index): MicroOp[] => {
      const key = `${keyPrefix}a${index}`;
      const roll = random.below(3);
      if (roll === 0) return [{ kind: "read", key }];
      if (roll === 1) return [{ kind: "append", key, element: nextElement++ }];
      return [{ kind: "read", key }, { kind: "append", key, element: nextElement++ }];
    });
  return {
    initialState: (): Pending => ({ ops: [] }),
    next(process: ClientProcess<Pending>): Invocation {
      const pending = process.state;
      if (!pending.snapshot) {
        pending.ops = newTransaction(process.random);
        return snapshot(pending);
      }
      return commit(pending);
    },
  };
}

function touched(ops: MicroOp[]): string[] {
  return [...new Set(ops.map((op) => op.key))];
}

function snapshot(pending: Pending): Invocation {
  const spec: TxnSpec = { compare: [], success: touched(pending.ops).map((key) => ({ f: "get", key })), failure: [] };
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
