// lock: processes take turns holding etcd locks (a key put under a lease, as etcd3's Lock does), and record
// each critical section: from the acquire's completion to the release's invocation.
//
// acquire: grant a lease (kept alive by etcd3 while held), then a txn that puts the lock key with that
// lease only if the key does not exist; when it exists, the failure branch reads the holder and the
// acquire is a fail. hold: a random time. release: revoke the lease.
//
// Like most lock users, a holder does not stop when its lease is lost: it finishes its critical section
// and releases. The release's completion says what the holder could have known: `leaseLost` (etcd3's
// keep-alive gave up, or the revoke found the lease gone) with `leaseLostAt` (run-clock nanoseconds,
// when etcd3 reported it), and `pausedMs` when a client pause (client-pauses.ts) froze the holder.
//
// Encoding: acquire invoke {holder: "p3", ttl}, ok {holder, lease}, fail error "held by p5"; release
// invoke {lease}, ok {lease, leaseLost?, leaseLostAt?, pausedMs?}.
import { EtcdLeaseInvalidError, type Etcd3, type Lease } from "etcd3";
import { withDeadline } from "../harness/clients/etcd-client.ts";
import { errorMessage } from "../harness/clients/outcome.ts";
import { ClientPool, type ClientProcess, type Invocation } from "./client-pool.ts";
import type { ClientPauses, Pausable } from "../harness/clients/client-pauses.ts";
import { defaultLockTtlSeconds, type AcquireValue, type ReleaseValue } from "../record/values/lock.ts";
import type { GetResult } from "../record/values/etcd.ts";
import { runTxn } from "./etcd-ops.ts";
import { keyPicker } from "./keys.ts";
import type { WorkloadContext, WorkloadDefinition } from "./workload.ts";

export const lockHoldMs: [number, number] = [50, 300];

interface Holding {
  key: string;
  lease: Lease;
  leaseId: string;
  lost?: { message: string; at: number };
  pausable: Pausable;
  unenrol: () => void;
}

interface LockState {
  holding?: Holding;
}

export const lockWorkload: WorkloadDefinition = {
  name: "lock",
  summary: "acquire, hold and release etcd locks with lease keep-alive; records every critical section",
  defaults: { keys: 1, rate: 50 },
  create(context) {
    const held = new Set<Holding>();
    const pool = new ClientPool(context, lockSource(context, held));
    return {
      start: () => pool.start(),
      async stop() {
        await pool.stop();
        // Locks still held when the run stops are let go (their leases expire), and no pause can find them.
        for (const holding of held) dropHolding(holding, held);
      },
    };
  },
  checkers: () => [{ name: "lock" }],
};

function dropHolding(holding: Holding, held: Set<Holding>): void {
  holding.unenrol();
  holding.lease.release();
  held.delete(holding);
}

function lockSource(context: WorkloadContext, held: Set<Holding>) {
  const { settings, keyPrefix } = context;
  const locks = keyPicker(settings.keys, settings.distribution);
  const [leastMs, mostMs] = settings.lockHoldMs ?? lockHoldMs;
  const lock = { ttl: settings.lockTtlSeconds ?? defaultLockTtlSeconds, now: () => context.recorder.clock.now(), pauses: context.clients };
  return {
    initialState: (): LockState => ({}),
    next(process: ClientProcess<LockState>): Invocation {
      const holding = process.state.holding;
      if (holding) return release(process.state, holding, leastMs + process.random.below(Math.max(1, mostMs - leastMs)), lock.pauses, held);
      return acquire(process, `${keyPrefix}lock/l${locks.pick(process.random)}`, lock, held);
    },
  };
}

function acquire(process: ClientProcess<LockState>, key: string, lock: { ttl: number; now: () => number; pauses: ClientPauses }, held: Set<Holding>): Invocation {
  const holder = `p${process.process}`;
  return {
    f: "acquire",
    key,
    value: { holder, ttl: lock.ttl } satisfies AcquireValue,
    async run(client, options) {
      const lease = client.lease(lock.ttl, { autoKeepAlive: true });
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
        const pausable: Pausable = { process: process.process, member: process.member, doing: `holds ${key}`, freeze: () => lease.release() };
        const holding: Holding = { key, lease, leaseId, pausable, unenrol: lock.pauses.enrol(pausable) };
        lease.on("lost", (error) => (holding.lost ??= { message: error.message, at: lock.now() }));
        process.state.holding = holding;
        held.add(holding);
        return { type: "ok", value: { holder, lease: leaseId }, revision: outcome.revision };
      } catch (error) {
        lease.release();
        throw error;
      }
    },
  };
}

function release(state: LockState, holding: Holding, delayMs: number, pauses: ClientPauses, held: Set<Holding>): Invocation {
  let pausedMs = 0;
  return {
    delayMs,
    ready: async () => (pausedMs = await pauses.until(holding.pausable)),
    f: "release",
    key: holding.key,
    value: { lease: holding.leaseId },
    async run(client: Etcd3, options) {
      delete state.holding;
      dropHolding(holding, held);
      try {
        await client.leaseClient.leaseRevoke({ ID: holding.leaseId }, options);
      } catch (error) {
        // etcd no longer knows the lease: it expired (or was revoked) while the holder held the lock.
        if (!(error instanceof EtcdLeaseInvalidError) && !/lease not found/i.test(errorMessage(error))) throw error;
        holding.lost ??= { message: `the revoke found the lease gone: ${errorMessage(error)}`, at: Number.NaN };
      }
      const value: ReleaseValue = {
        lease: holding.leaseId,
        ...(holding.lost ? { leaseLost: holding.lost.message, ...(Number.isFinite(holding.lost.at) ? { leaseLostAt: holding.lost.at } : {}) } : {}),
        ...(pausedMs > 0 ? { pausedMs: Math.round(pausedMs) } : {}),
      };
      return { type: "ok", value };
    },
  };
}
