// The settings of a run: the cluster size and length, and the workload's knobs, as the command line and scenarios set them.
import { z } from "zod";

export const workloadSettingsSchema = z.object({
  /** Concurrent client processes, spread round-robin over the members. */
  concurrency: z.number().int().positive(),
  /** Operations per second over all processes. */
  rate: z.number().positive(),
  keys: z.number().int().positive(),
  distribution: z.enum(["uniform", "zipf"]),
  readMode: z.enum(["linearizable", "serializable"]),
  /** How the register workload's cas compares: on the value, or on the key's mod revision. */
  casCompare: z.enum(["value", "mod-revision"]),
  /** Deadline of every call. */
  opTimeoutMs: z.number().positive(),
  /** Lock workload: the TTL of each lock's lease, in seconds (the lock workload's default unless set). */
  lockTtlSeconds: z.number().positive().optional(),
  /** Lock workload: how long a holder stays in its critical section, [least, most] milliseconds. */
  lockHoldMs: z.tuple([z.number().nonnegative(), z.number().nonnegative()]).optional(),
  /** Watch workload: how long each watch session lasts before it resumes on a new stream (2 s unless set; long-lived watches take minutes). */
  watchSessionMs: z.number().positive().optional(),
  /** Watch workload: how often each session asks etcd for a progress notification (never unless set). */
  watchProgressMs: z.number().positive().optional(),
  /**
   * Kubernetes and watch workloads: "create-delete", writers only create and delete keys, never update
   * them (Kubernetes' create/delete traffic); "no-delete", they never delete (no tombstones). Both unless set.
   */
  writeMix: z.enum(["create-delete", "no-delete"]).optional(),
  /** Register workload: the shares of reads (0.4) and compare-and-sets (0.3), 0 to 1; writes are the rest. */
  readShare: z.number().min(0).max(1).optional(),
  casShare: z.number().min(0).max(1).optional(),
  /** Watch workload: each resuming watcher opens every session on the next member, as a client given every endpoint does. */
  watchHop: z.boolean().optional(),
  /** Compaction at the current revision every this many milliseconds, beside any workload, through each member in turn (never unless set). */
  compactEveryMs: z.number().positive().optional(),
  /** Watch workload: one-shot watches besides the resuming ones, opened at a future revision or at the compaction revision. */
  watchOneShots: z.array(z.enum(["future", "compaction"])).optional(),
  /** "all": every client process is given every member's client URL and the etcd3 client picks one per call, as applications do; one member per process unless set. */
  clientEndpoints: z.enum(["member", "all"]).optional(),
});
export type WorkloadSettings = z.infer<typeof workloadSettingsSchema>;
export type ReadMode = WorkloadSettings["readMode"];
export type KeyDistribution = WorkloadSettings["distribution"];
export type CasCompare = WorkloadSettings["casCompare"];

/** How long a cycling fault stays in place, then how long the cluster has healed before the next one. */
export const faultIntervalSchema = z.object({ onMs: z.number().nonnegative(), offMs: z.number().nonnegative() });
export type FaultInterval = z.infer<typeof faultIntervalSchema>;

export const runSettingsSchema = workloadSettingsSchema.extend({
  nodes: z.number().int().positive(),
  timeMs: z.number().positive(),
  workload: z.string().min(1),
  /** The user's on/off interval for a cycling schedule (either may be left to the scenario or the fault family). */
  faultInterval: faultIntervalSchema.partial().optional(),
  /** TLS on the members' client links, peer links or both (certificates made per run), with client certificates required; plain text unless set. */
  tls: z.enum(["client", "peer", "both"]).optional(),
  /** Authentication on, with this token kind: the workload runs as a user limited to its key prefix; off unless set. */
  auth: z.enum(["simple", "jwt"]).optional(),
});
export type RunSettings = z.infer<typeof runSettingsSchema>;

/** What a workload runs with unless the workload, the scenario or the user says otherwise. */
export const defaultWorkloadSettings: WorkloadSettings = {
  rate: 200,
  concurrency: 6,
  keys: 3,
  distribution: "uniform",
  readMode: "linearizable",
  casCompare: "value",
  opTimeoutMs: 1000,
};

/** How the run's clients reach the cluster, in words: "TLS on client and peer links, auth (simple tokens), clients given every member". */
export function describeAccess(settings: Pick<RunSettings, "tls" | "auth" | "clientEndpoints">): string {
  const tls = { client: "TLS on client links", peer: "TLS on peer links", both: "TLS on client and peer links" }[settings.tls ?? "client"];
  return [
    settings.tls ? tls : "plain text",
    settings.auth ? `auth (${settings.auth === "jwt" ? "JWT" : "simple"} tokens)` : "no auth",
    settings.clientEndpoints === "all" ? "clients given every member" : "each client on one member",
  ].join(", ");
}
