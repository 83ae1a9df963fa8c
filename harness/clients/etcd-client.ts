// etcd3 clients bound to exactly one endpoint, with retries and circuit breakers off, so no fault is hidden.
import { ExponentialBackoff, noop } from "cockatiel";
import { Etcd3 } from "etcd3";

export interface ClientOptions {
  /** Milliseconds to wait for the gRPC connection before a call fails. */
  dialTimeoutMs?: number;
}

/**
 * etcd3 by default retries a failed call three times on a random host and opens per-host circuit
 * breakers; both would let a request meant for one member land elsewhere, or vanish. Here every call
 * goes to `endpoint` once. Reconnection backoff is short so a restarted member is found quickly, and so
 * a closed client's watch stream stops retrying within a second (etcd3's default backs off up to 30 s,
 * and each retry is a timer that keeps the process alive).
 */
export function etcdClient(endpoint: string, options: ClientOptions = {}): Etcd3 {
  return new Etcd3({
    hosts: `http://${endpoint}`,
    dialTimeout: options.dialTimeoutMs ?? 2000,
    faultHandling: { host: () => noop, global: noop, watchBackoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 1000 }).next() },
    grpcOptions: {
      "grpc.initial_reconnect_backoff_ms": 100,
      "grpc.max_reconnect_backoff_ms": 1000,
    },
  });
}

/** gRPC call options with a deadline `ms` from now; every call the harness makes carries one. */
export const deadline = (ms: number): { deadline: Date } => ({ deadline: new Date(Date.now() + ms) });

/** For calls that take no gRPC deadline (etcd3's lease grant, watch creation): rejects once `ms` have passed. */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`deadline exceeded after ${ms}ms: ${what}`)), Math.max(0, ms));
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}
