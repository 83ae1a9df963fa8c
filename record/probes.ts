// What the harness measured after the last heal, kept in results.json for checkers re-run by `harness analyze`.
import { z } from "zod";

export const convergenceProbeSchema = z.object({
  /** Revision each member reached after the final heal, or why it did not answer. */
  revisions: z.record(z.string(), z.union([z.number(), z.string()])),
  /** Revision at which HashKV was compared: the common one, or when members stayed apart, the lowest. */
  revision: z.number().optional(),
  hashes: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
  /** When members stayed at different revisions: the raft entry each had applied by then. */
  appliedIndexes: z.record(z.string(), z.number()).optional(),
  error: z.string().optional(),
});
export type ConvergenceProbe = z.infer<typeof convergenceProbeSchema>;

/**
 * The final reads: after the last heal and the convergence probe, a linearizable read of every key the
 * workload touched through every member. The reads themselves are ordinary operations in the history,
 * made by the processes listed here, so the linearizability checker judges them too.
 */
export const finalReadsProbeSchema = z.object({
  workload: z.string(),
  /** Run-clock nanoseconds when the final reads began and ended. */
  from: z.number(),
  to: z.number(),
  keys: z.array(z.string()),
  members: z.array(z.string()),
  /** Client process ids of the final reads (a fresh one after each read whose outcome is unknown). */
  processes: z.array(z.number().int()),
  /** Why no final reads were made (a workload whose data is not meant to last). */
  skipped: z.string().optional(),
});
export type FinalReadsProbe = z.infer<typeof finalReadsProbeSchema>;

export const probesSchema = z.object({
  convergence: convergenceProbeSchema.optional(),
  finalReads: finalReadsProbeSchema.optional(),
});
export type Probes = z.infer<typeof probesSchema>;
