// The lock workload's encoding of history values: acquire {holder, ttl} -> {holder, lease}; release {lease} -> what the holder could know.
import { z } from "zod";

/** The lease TTL of a lock, in seconds, unless the settings say otherwise. */
export const defaultLockTtlSeconds = 5;

export const acquireValueSchema = z.object({ holder: z.string(), ttl: z.number().positive() });
export type AcquireValue = z.infer<typeof acquireValueSchema>;

export const acquiredValueSchema = z.object({ holder: z.string(), lease: z.string() });
export type AcquiredValue = z.infer<typeof acquiredValueSchema>;

export const releaseValueSchema = z.object({
  lease: z.string(),
  /** etcd3's keep-alive gave up, or the revoke found the lease gone: what the holder could have known. */
  leaseLost: z.string().optional(),
  /** Run-clock nanoseconds when etcd3 reported the lease lost. */
  leaseLostAt: z.number().optional(),
  /** How long a client pause froze the holder. */
  pausedMs: z.number().optional(),
  /**
   * Run-clock nanoseconds until which the lease was certainly alive: the latest time a keep-alive that
   * etcd acknowledged was sent (the grant's request to begin with), plus the TTL etcd answered with.
   */
  leaseValidUntil: z.number().optional(),
});
export type ReleaseValue = z.infer<typeof releaseValueSchema>;
