// lock: processes take turns holding etcd locks (a key put under a lease, as etcd3's Lock does), and record
// each critical section: from the acquire's completion to the release's invocation.
//
// acquire: grant a lease (kept alive by etcd3 while held), then a txn that puts the lock key with that
// lease only if the key does not exist; when it exists, the failure branch reads the holder and the
// acquire is a fail. hold: a random time. release: revoke the lease. A lease lost while held (keep-alive
// failed, so etcd may hand the lock to another) is recorded in the release's completion.
import type { Etcd3, Lease } from "etcd3";
import { withDeadline } from "../clients/etcd-client.ts";
import { ClientPool, type ClientProcess, type Invocation } from "./client-pool.ts";
import { runTxn, type GetResult } from "./etcd-ops.ts";
import { keyPicker } from "./keys.ts";
import type { WorkloadContext, WorkloadDefinition } from "./workload.ts";

export const lockTtlSeconds = 5;
const holdMs = { min: 50, max: 300 };

interface Holding {
  key: string;
  lease: Lease;
  leaseId: string;
  lostAt?: string;
}

interface LockState {
  holding?: Holding;
}

export const lockWorkload: WorkloadDefinition = {
  name: "lock",
  summary: "acquire, hold and release etcd locks with lease keep-alive; records every critical section",
  defaults: { keys: 1, rate: 50 },
  create: (context) => new ClientPool(context, lockSource(context)),
  checkers: () => [],
};

function lockSource({ random, settings, keyPrefix }: WorkloadContext) {
  const locks = keyPicker(settings.keys, settings.distribution, random);
  return {
    initialState: (): LockState => ({}),
    next(process: ClientProcess<LockState>): Invocation {
      const holding = process.state.holding;
      if (holding) return release(process.state, holding, holdMs.min + random.below(holdMs.max - holdMs.min));
      return acquire(process, `${keyPrefix}lock/l${locks.pick()}`);
    },
  };
}

function acquire(process: ClientProcess<LockState>, key: string): Invocation {
  const holder = `p${process.process}`;
  return {
    f: "acquire",
    key,
    value: { holder, ttl: lockTtlSeconds },
    async run(client, options) {
      const lease = client.lease(lockTtlSeconds, { autoKeepAlive: true });
      try {
        const leaseId = await withDeadline(lease.grant(), options.deadline.getTime() - Date.now(), "lease grant");
        const outcome = await runTxn(
          client,
          { compare: [{ key, target: "create", op: "=", value: 0 }], success: [{ f: "put", key, value: holder, lease: leaseId }], failure: [{ f: "get", key }] },
          options,
        );
        if (!outcome.succeeded) {
          void lease.revoke().catch(() => undefined);
          return { type: "fail", error: `held by ${(outcome.results[0] as GetResult)?.value ?? "nobody (released meanwhile)"}`, revision: outcome.revision };
        }
        const holding: Holding = { key, lease, leaseId };
        lease.on("lost", (error) => (holding.lostAt ??= error.message));
        process.state.holding = holding;
        return { type: "ok", value: { holder, lease: leaseId }, revision: outcome.revision };
      } catch (error) {
        lease.release();
        throw error;
      }
    },
  };
}

function release(state: LockState, holding: Holding, delayMs: number): Invocation {
  return {
    delayMs,
    f: "release",
    key: holding.key,
    value: { lease: holding.leaseId },
    async run(_client: Etcd3, options) {
      delete state.holding;
      try {
        await holding.lease.revoke(options);
      } finally {
        holding.lease.release();
      }
      return { type: "ok", value: { lease: holding.leaseId, ...(holding.lostAt ? { leaseLost: holding.lostAt } : {}) } };
    },
  };
}
