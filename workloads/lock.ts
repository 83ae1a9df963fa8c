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
// invoke {lease}, ok {lease, leaseLost?, leaseLostAt?, pausedMs?, leaseValidUntil} (record/values/lock.ts).
import { EtcdLeaseInvalidError, type Etcd3, type Lease } from "etcd3";
import { peekTarget, withDeadline } from "../harness/clients/etcd-client.ts";
import { errorMessage } from "../harness/clients/outcome.ts";
import { ClientPool, everyMember, type ClientProcess, type Invocation } from "./client-pool.ts";
import { memberAtEndpoint } from "./binding.ts";
import type { ClientPauses, Pausable } from "../harness/clients/client-pauses.ts";
import { defaultLockTtlSeconds, type AcquireValue, type ReleaseValue } from "../record/values/lock.ts";
import type { GetResult } from "../record/values/etcd.ts";
import { runTxn } from "./etcd-ops.ts";
import { keyPicker } from "./keys.ts";
import type { WorkloadContext, WorkloadDefinition } from "./workload.ts";

export const lockHoldMs: [number, number] = [50, 300];

interface Holding {
  key: string;
  leaseId: string;
  keeper: LeaseKeeper;
  lost?: { message: string; at: number };
  pausable: Pausable;
  unenrol: () => void;
}

/**
 * A lease's keep-alives, as etcd3 sends them. `until`: until when the lease is certainly alive, from the
 * client's side: a keep-alive acknowledged by etcd renewed the lease no earlier than it was sent, for the
 * TTL etcd answered with. Keep-alives share one stream, answered in order, so each answer belongs to the
 * oldest request not yet answered; a broken stream's unanswered requests count for nothing.
 */
class LeaseKeeper {
  until: number;
  readonly #lease: Lease;
  readonly #sent: number[] = [];
  readonly #onAnswered: (() => void)[] = [];

  constructor(lease: Lease, now: () => number, grantedFrom: number, ttlSeconds: number) {
    this.#lease = lease;
    this.until = grantedFrom + ttlSeconds * 1e9;
    lease.on("keepaliveFired", () => this.#sent.push(now()));
    lease.on("keepaliveFailed", () => {
      this.#sent.length = 0;
      this.#answered();
    });
    lease.on("keepaliveSucceeded", (response) => {
      const sent = this.#sent.shift();
      if (sent !== undefined) this.until = Math.max(this.until, sent + Number(response.TTL) * 1e9);
      if (this.#sent.length === 0) this.#answered();
    });
  }

  /** Stops the keep-alives at once: a paused process sends none, whatever is in flight. */
  stopNow(): void {
    this.#lease.release();
  }

  /**
   * Stops the keep-alives once none awaits its answer (at most `patienceMs` later). etcd3 re-arms a
   * TTL-long timer for an answer that arrives after the stop, which would keep the process alive after
   * its verdict; stopping on the answer's own event disarms it.
   */
  stopWhenAnswered(patienceMs = 1000): Promise<void> {
    if (this.#sent.length === 0 || this.#lease.revoked()) {
      this.#lease.release();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const stop = () => {
        clearTimeout(patience);
        this.#lease.release();
        resolve();
      };
      const patience = setTimeout(stop, patienceMs);
      this.#onAnswered.push(stop);
    });
  }

  #answered(): void {
    for (const stop of this.#onAnswered.splice(0)) stop();
  }
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
        await Promise.all([...held].map((holding) => dropHolding(holding, held)));
      },
    };
  },
  checkers: () => [{ name: "lock" }],
};

function dropHolding(holding: Holding, held: Set<Holding>): Promise<void> {
  holding.unenrol();
  held.delete(holding);
  return holding.keeper.stopWhenAnswered();
}

function lockSource(context: WorkloadContext, held: Set<Holding>) {
  const { settings, keyPrefix } = context;
  const locks = keyPicker(settings.keys, settings.distribution);
  const [leastMs, mostMs] = settings.lockHoldMs ?? lockHoldMs;
  const lock = {
    ttl: settings.lockTtlSeconds ?? defaultLockTtlSeconds,
    now: () => context.recorder.clock.now(),
    pauses: context.clients,
    // A holder given every member is held where its acquiring txn went, for faults that pause a holder's member.
    memberOf: (process: ClientProcess<LockState>, client: Etcd3) => (process.member === everyMember ? (memberAtEndpoint(context.cluster, peekTarget(client)) ?? process.member) : process.member),
  };
  return {
    initialState: (): LockState => ({}),
    next(process: ClientProcess<LockState>): Invocation {
      const holding = process.state.holding;
      if (holding) return release(process.state, holding, leastMs + process.random.below(Math.max(1, mostMs - leastMs)), lock.pauses, held);
      return acquire(process, `${keyPrefix}lock/l${locks.pick(process.random)}`, lock, held);
    },
  };
}

interface LockOptions {
  ttl: number;
  now: () => number;
  pauses: ClientPauses;
  memberOf: (process: ClientProcess<LockState>, client: Etcd3) => string;
}

function acquire(process: ClientProcess<LockState>, key: string, lock: LockOptions, held: Set<Holding>): Invocation {
  const holder = `p${process.process}`;
  return {
    f: "acquire",
    key,
    value: { holder, ttl: lock.ttl } satisfies AcquireValue,
    async run(client, options) {
      const grantedFrom = lock.now();
      const lease = client.lease(lock.ttl, { autoKeepAlive: true });
      // Listening from the start, so no keep-alive is missed between the grant and the first one.
      const keeper = new LeaseKeeper(lease, lock.now, grantedFrom, lock.ttl);
      try {
        const leaseId = await withDeadline(lease.grant(), options.deadline.getTime() - Date.now(), "lease grant");
        const outcome = await runTxn(
          client,
          { compare: [{ key, target: "create", op: "=", value: 0 }], success: [{ f: "put", key, value: holder, lease: leaseId }], failure: [{ f: "get", key }] },
          options,
        );
        if (!outcome.succeeded) {
          void keeper.stopWhenAnswered().then(() => lease.revoke()).catch(() => undefined);
          return { type: "fail", error: `held by ${(outcome.results[0] as GetResult)?.value ?? "nobody (released meanwhile)"}`, revision: outcome.revision };
        }
        const pausable: Pausable = { process: process.process, member: lock.memberOf(process, client), doing: `holds ${key}`, freeze: () => keeper.stopNow() };
        const holding: Holding = { key, leaseId, keeper, pausable, unenrol: lock.pauses.enrol(pausable) };
        lease.on("lost", (error) => (holding.lost ??= { message: error.message, at: lock.now() }));
        process.state.holding = holding;
        held.add(holding);
        return { type: "ok", value: { holder, lease: leaseId }, revision: outcome.revision };
      } catch (error) {
        void keeper.stopWhenAnswered();
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
      await dropHolding(holding, held);
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
        leaseValidUntil: holding.keeper.until,
      };
      return { type: "ok", value };
    },
  };
}
