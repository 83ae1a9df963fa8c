// etcd3 clients with retries and circuit breakers off, so no fault is hidden: bound to one endpoint, or given several as applications are.
import { ExponentialBackoff, noop } from "cockatiel";
import { Etcd3, EtcdInvalidAuthTokenError } from "etcd3";

/** PEM text of the CA that signed the members' certificates, and of the client's own certificate and key. */
export interface ClientTls {
  ca: string;
  cert: string;
  key: string;
}

export interface ClientCredentials {
  username: string;
  password: string;
}

export interface ClientOptions {
  /** Milliseconds to wait for the gRPC connection before a call fails. */
  dialTimeoutMs?: number;
  /** TLS with a client certificate; plain text when absent. */
  tls?: ClientTls | undefined;
  /** Authenticate as this user; every call carries its token. */
  auth?: ClientCredentials | undefined;
  /**
   * After "invalid auth token", authenticate again and resend the call, as etcd3 does: for the
   * harness's own calls, which no history records. Off for workload clients (see refuseTokenRetry).
   */
  resendOnInvalidToken?: boolean;
  /**
   * Where else to authenticate when the endpoints cannot (a learner refuses it: authentication goes
   * through raft), tried in order after them. The token is good on every member.
   */
  authEndpoints?: string[];
}

/**
 * etcd3 by default retries a failed call three times on a random host and opens per-host circuit
 * breakers; both would let a request meant for one member land elsewhere, or vanish. Here every call
 * is sent once. Given several endpoints, the client picks one at random for each call (etcd3's own
 * balancing), and a call that fails is not sent to another. Reconnection backoff is short so a restarted
 * member is found quickly, and so a closed client's watch stream stops retrying within a second (etcd3's
 * default backs off up to 30 s, and each retry is a timer that keeps the process alive).
 */
export function etcdClient(endpoints: string | string[], options: ClientOptions = {}): Etcd3 {
  const scheme = options.tls ? "https" : "http";
  const hosts = (Array.isArray(endpoints) ? endpoints : [endpoints]).map((endpoint) => `${scheme}://${endpoint}`);
  const client = new Etcd3({
    hosts,
    dialTimeout: options.dialTimeoutMs ?? 2000,
    faultHandling: { host: () => noop, global: noop, watchBackoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 1000 }).next() },
    grpcOptions: {
      "grpc.initial_reconnect_backoff_ms": 100,
      "grpc.max_reconnect_backoff_ms": 1000,
      // Endpoints are addresses, which TLS may not carry as a server name; every member's certificate also names localhost.
      ...(options.tls ? { "grpc.ssl_target_name_override": "localhost" } : {}),
    },
    ...(options.tls ? { credentials: { rootCertificate: Buffer.from(options.tls.ca), privateKey: Buffer.from(options.tls.key), certChain: Buffer.from(options.tls.cert) } } : {}),
    ...(options.auth ? { auth: { username: options.auth.username, password: options.auth.password } } : {}),
  });
  observeTargets(client);
  if (options.auth && options.authEndpoints?.length) {
    const { authenticator } = poolOf(client);
    authenticator.options = { ...authenticator.options, hosts: [...hosts, ...options.authEndpoints.map((endpoint) => `${scheme}://${endpoint}`)] };
  }
  if (options.auth) {
    if (options.resendOnInvalidToken) resendOnInvalidToken(client);
    else refuseTokenRetry(client);
  }
  return client;
}

/** What etcd3 keeps private and this module reaches into: its connection pool's unary calls, hosts and authenticator. */
interface PoolInternals {
  exec(service: string, method: string, payload: unknown, options?: unknown): Promise<unknown>;
  hosts: Array<{ host: string; getServiceClient(service: unknown): unknown }>;
  authenticator: { awaitingMetadata: unknown; options: { hosts?: string | string[] }; invalidateMetadata(): void; getMetadata(): Promise<unknown> };
}

const poolOf = (client: Etcd3): PoolInternals => (client as unknown as { pool: PoolInternals }).pool;

const lastTarget = new WeakMap<Etcd3, string>();

/** Notes which endpoint each call of the client goes to: etcd3 picks one per call among several. */
function observeTargets(client: Etcd3): void {
  for (const host of poolOf(client).hosts) {
    const serviceClient = host.getServiceClient.bind(host);
    host.getServiceClient = (service) => {
      lastTarget.set(client, host.host);
      return serviceClient(service);
    };
  }
}

/**
 * The endpoint (host:port) the client's last call was sent to since the previous takeTarget, or
 * undefined when none was sent. A client's calls are sequential in the harness, so this is the call's.
 */
export function takeTarget(client: Etcd3): string | undefined {
  const target = peekTarget(client);
  lastTarget.delete(client);
  return target;
}

/** The endpoint the client's last call was sent to, leaving it for takeTarget. */
export function peekTarget(client: Etcd3): string | undefined {
  return lastTarget.get(client);
}

/**
 * etcd3 answers an "invalid auth token" error by authenticating again and sending the call a second
 * time, out of the history's sight. etcd refused the first send before proposing it, so the call fails
 * here instead (a fail in the history), and the client authenticates again for its next call.
 */
function refuseTokenRetry(client: Etcd3): void {
  const { authenticator } = poolOf(client);
  const getMetadata = authenticator.getMetadata.bind(authenticator);
  let refuseNext = false;
  authenticator.invalidateMetadata = () => {
    authenticator.awaitingMetadata = null;
    refuseNext = true;
  };
  authenticator.getMetadata = () => {
    if (!refuseNext) return getMetadata();
    refuseNext = false;
    return Promise.reject(new EtcdInvalidAuthTokenError("etcdserver: invalid auth token (not sent again; the client authenticates anew for its next call)"));
  };
}

/**
 * etcd's maintenance calls answer a token a restarted member forgot with "auth: invalid auth token" as
 * an unknown gRPC error, which etcd3 does not take for a token problem; this resends those too, once,
 * with a fresh token.
 */
function resendOnInvalidToken(client: Etcd3): void {
  const pool = poolOf(client);
  const exec = pool.exec.bind(pool);
  pool.exec = async (...args) => {
    try {
      return await exec(...args);
    } catch (error) {
      if (!(error instanceof Error) || !/invalid auth token/i.test(error.message)) throw error;
      pool.authenticator.invalidateMetadata();
      return exec(...args);
    }
  };
}

/**
 * Authenticates a fresh client before its first recorded call, as applications do when they create
 * their client: otherwise the first call's deadline would also have to cover etcd's password check
 * (bcrypt) and the raft round that issues the token. Gives up silently after `budgetMs` or on a refusal:
 * the first call then authenticates itself, and its outcome is recorded. Nothing to do without auth.
 */
export async function signIn(client: Etcd3, budgetMs: number): Promise<void> {
  const authenticator = (poolOf(client) as Partial<PoolInternals> | undefined)?.authenticator;
  if (!authenticator) return;
  await withDeadline(authenticator.getMetadata(), budgetMs, "authenticate").catch(() => undefined);
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
