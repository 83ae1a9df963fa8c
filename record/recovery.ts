// A disaster recovery in the record: the runbook's steps as performed, the recovery point it restored to, and the state it restored (a recovery fault's details.recovery).
import { z } from "zod";

/** One operator step of a runbook, as the harness performed it (run-clock nanoseconds). */
export const runbookStepSchema = z.object({
  /** What the step does, in the runbook's words: "snapshot restore n4", "member update n4". */
  name: z.string(),
  /** The command an operator types for it (etcdctl/etcdutl/etcd), as performed. */
  command: z.string(),
  startedAt: z.number(),
  endedAt: z.number(),
  ok: z.boolean(),
  /** What etcd (or etcdutl) answered when the step failed, or a short result when it worked. */
  answer: z.string().optional(),
});
export type RunbookStep = z.infer<typeof runbookStepSchema>;

/** What the recovered cluster should hold: exactly a snapshot's revision, or what a survivor had applied. */
export const recoveryPointSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("snapshot"),
    /** The member the snapshot was saved from, when, and the revision it holds (etcdutl snapshot status). */
    member: z.string(),
    savedAt: z.number(),
    revision: z.number().int(),
  }),
  z.object({
    kind: z.literal("survivor"),
    /** The member whose data the cluster was recovered from, and its revision and applied index when it stopped. */
    member: z.string(),
    revision: z.number().int(),
    appliedIndex: z.number().int().optional(),
  }),
]);
export type RecoveryPoint = z.infer<typeof recoveryPointSchema>;

/** A key as the recovered cluster held it before any client reached it; null when absent. */
export const restoredKeySchema = z.object({ value: z.string(), modRevision: z.number().int() }).nullable();

export const recoverySchema = z.object({
  runbook: z.enum(["snapshot-restore", "force-new-cluster", "copy-data-dir"]),
  /** Run-clock nanoseconds: when the disaster struck (the first member's data destroyed). */
  disasterAt: z.number(),
  /** When the clients were pointed at the recovered cluster; absent when the recovery did not get that far. */
  recoveredAt: z.number().optional(),
  steps: z.array(runbookStepSchema),
  recoveryPoint: recoveryPointSchema,
  /** Members whose data was destroyed for good, and the recovered cluster's members. */
  destroyed: z.array(z.string()),
  members: z.array(z.string()),
  /** Every key the recovered cluster held, read at `restoredRevision` before the clients were pointed at it. */
  restoredRevision: z.number().int().optional(),
  restoredState: z.record(z.string(), restoredKeySchema).optional(),
});
export type Recovery = z.infer<typeof recoverySchema>;

/** The recovery a fault record carries in details.recovery, if it is one (malformed details are not one). */
export function recoveryOf(details: Record<string, unknown>): Recovery | undefined {
  const parsed = recoverySchema.safeParse(details["recovery"]);
  return parsed.success ? parsed.data : undefined;
}
