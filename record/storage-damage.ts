// What a storage fault did and what etcd made of it, as its fault record's details say: the corruption checker's evidence.
import { z } from "zod";

/** The faults that damage a member's files. */
export const storageFaults = ["bitflip", "wal-truncate"] as const;

export const storageOutcomes = ["refused-to-start", "rejoined", "corrupt-alarm", "diverged", "no-answer"] as const;
export type StorageOutcome = (typeof storageOutcomes)[number];

export const storageDamageSchema = z.looseObject({
  damaged: z.boolean(),
  /** The file damaged (relative to the data directory), or the kind asked for when there was none. */
  file: z.string(),
  /** What was done to it, in words. */
  what: z.string().optional(),
  /** Why nothing was damaged. */
  why: z.string().optional(),
  outcome: z.enum(storageOutcomes).optional(),
  /** etcd's own words when it refused to start. */
  reason: z.string().optional(),
  /** It refused after it had started (it read the damage later). */
  exitedLater: z.boolean().optional(),
  /** Members the CORRUPT alarm named. */
  alarms: z.array(z.string()).optional(),
  /** HashKV of every member at a revision all reached, taken before the heal. */
  hashKV: z.object({ revision: z.number(), hashes: z.record(z.string(), z.number()) }).optional(),
  /** How the heal brought the member back, when it had to. */
  healedBy: z.string().optional(),
});
export type StorageDamage = z.infer<typeof storageDamageSchema>;

/** What etcd did, in words. */
export function describeStorageOutcome(member: string, damage: StorageDamage): string {
  const reason = damage.reason ? `: ${damage.reason}` : "";
  switch (damage.outcome) {
    case "refused-to-start":
      return `etcd refused to start${damage.exitedLater ? " (after it had started)" : ""}${reason}`;
    case "corrupt-alarm":
      return `etcd raised the CORRUPT alarm for ${(damage.alarms ?? []).join(",")}`;
    case "diverged":
      return `${member} rejoined with data that differs from the others' at revision ${damage.hashKV?.revision}`;
    case "rejoined":
      return `${member} started and rejoined${damage.hashKV ? ` with the same HashKV as the others at revision ${damage.hashKV.revision}` : ""}`;
    default:
      return `${member} neither rejoined nor exited in time`;
  }
}
