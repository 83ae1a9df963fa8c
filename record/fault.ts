// Faults in the record: a scheduled step (what to do, when, to whom) and the record of one played (what was done, when, what showed it bit).
import { z } from "zod";

/**
 * Whom a fault hits, resolved when it starts: a role ("leader", "follower", "random" for one member;
 * "minority", "minority-with-leader", "minority-without-leader", "majority", "all"), or member names
 * separated by commas ("n1" or "n1,n3").
 */
export const targetSelectorSchema = z.string().min(1);
export type TargetSelector = z.infer<typeof targetSelectorSchema>;

export const faultParamsSchema = z.record(z.string(), z.unknown());
export type FaultParams = z.infer<typeof faultParamsSchema>;

export const faultStepSchema = z.object({
  /** Milliseconds after the workload starts. */
  atMs: z.number().nonnegative(),
  fault: z.string().min(1),
  target: targetSelectorSchema,
  /** How long the fault lasts before it is healed; ignored by instant faults. */
  durationMs: z.number().nonnegative(),
  params: faultParamsSchema.optional(),
  /** The members to hit, when a replay pins the targets a run actually hit (the selector is then only a label). */
  targets: z.array(z.string()).optional(),
});
export type FaultStep = z.infer<typeof faultStepSchema>;

/**
 * What shows that a fault bit, as the fault recorded it; the faults-took-effect checker judges it.
 * - measured: something the fault measured itself while in place (an exit code, a port that stopped
 *   answering, a toxic seen on real traffic), and whether it showed what the fault intended;
 * - leader-lost: judged from the status samples over the fault's window: every member (or, with
 *   "some", one) of `members` lost its leader while `majority` kept one of its own;
 * - disturbed: judged from the samples too: some member lost its leader or the raft term moved.
 */
export const effectSignSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("measured"), held: z.boolean(), what: z.string() }),
  z.object({ kind: z.literal("leader-lost"), members: z.array(z.string()), majority: z.array(z.string()), required: z.enum(["every", "some"]) }),
  z.object({ kind: z.literal("disturbed") }),
]);
export type EffectSign = z.infer<typeof effectSignSchema>;

export const faultRecordSchema = z.object({
  /** Position of the step in the run's schedule. */
  step: z.number().int().nonnegative(),
  fault: z.string().min(1),
  selector: targetSelectorSchema,
  targets: z.array(z.string()),
  /** The leader a majority agreed on when a role selector (leader, follower, minority-with-leader, ...) was resolved. */
  leader: z.string().optional(),
  params: faultParamsSchema,
  /** Run-clock nanoseconds: when injection began, when it was complete, when healing began and ended. */
  start: z.number(),
  effective: z.number(),
  healStart: z.number(),
  end: z.number(),
  /** What the fault did (groups, links, new member ids, ...). */
  details: z.record(z.string(), z.unknown()),
  signs: z.array(effectSignSchema),
  /** Whether every member was healthy under one leader after the heal. */
  healed: z.boolean().optional(),
  healEvidence: z.string().optional(),
  /** The faults-took-effect checker's judgement of `signs`, copied here for readers of the fault list. */
  tookEffect: z.boolean().optional(),
  evidence: z.string().optional(),
});
export type FaultRecord = z.infer<typeof faultRecordSchema>;
