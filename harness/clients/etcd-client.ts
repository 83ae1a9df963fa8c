// etcd3 clients bound to exactly one endpoint, with retries and circuit breakers off, so no fault is hidden.
import { noop } from "cockatiel";
import { Etcd3 } from "etcd3";

export interface ClientOptions {
  /** Milliseconds to wait for the gRPC connection before a call fails. */
  dialTimeoutMs?: number;
}

/**
 * etcd3 by default retries a failed call three times on a random host and opens per-host circuit
 * breakers; both would let a request meant for one member land elsewhere, or vanish. Here every call
 * goes to `endpoint` once. Reconnection backoff is short so a restarted member is found quickly.
 */
export function etcdClient(endpoint: string, options: ClientOptions = {}): Etcd3 {
  return new Etcd3({
    hosts: `http://${endpoint}`,
    dialTimeout: options.dialTimeoutMs ?? 2000,
    faultHandling: { host: () => noop, global: noop },
    grpcOptions: {
      "grpc.initial_reconnect_backoff_ms": 100,
      "grpc.max_reconnect_backoff_ms": 1000,
    },
  });
}

/** gRPC call options with a deadline `ms` from now; every call the harness makes carries one. */
export const deadline = (ms: number): { deadline: Date } => ({ deadline: new Date(Date.now() + ms) });
