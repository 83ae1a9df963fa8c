// A scenario as data, the shape of both the built-in catalogue and a user's YAML or JSON file: cluster, etcd, workload, fault schedule, checkers, verdict.
import { z } from "zod";
import { parseDurationMs } from "./duration.ts";

/** "2s", "500ms", "1m30s"; or a number of milliseconds. */
export const durationSchema = z.union([
  z.number().nonnegative(),
  z.string().refine((text) => parseDurationMs(text) !== undefined, { message: "expected a duration such as 500ms, 2s or 1m30s" }),
]);
export type DurationText = z.infer<typeof durationSchema>;

/** When a step starts: a duration after the workload starts, or a share of the run ("50%"). */
export const stepTimeSchema = z.union([durationSchema, z.string().regex(/^\d+(\.\d+)?%$/, { message: 'expected a duration such as 2s, or a share of the run such as "50%"' })]);

const memberName = z.string().regex(/^n\d+$/, { message: "expected a member name such as n2" });
const params = z.record(z.string(), z.unknown());

const faultFields = {
  fault: z.string().min(1),
  /** A target selector: leader, follower, minority, majority, all, random, n2, n1+n3, ... */
  target: z.string().min(1),
  params: params.optional(),
};

export const phaseSchema = z.strictObject(faultFields);
export const stepSchema = z.strictObject({ at: stepTimeSchema, duration: durationSchema.optional(), ...faultFields });
export const repeatedStepSchema = z.strictObject({ duration: durationSchema.optional(), ...faultFields });

/**
 * One of five forms, by the key present: `cycle` (the faults in turn, each in place for `on` then healed
 * for `off`, again and again from the warm-up until `tail` before the end, as Jepsen's nemesis does;
 * `on` and `off` default to each fault family's own); `phases` (one fault after another, each for an
 * equal share of the run, with `warmup`, `recovery` between them and a `tail` left over, each at least
 * `minWindow`); `steps` (each at a time and for a duration); `repeat` (the faults in turn, one every
 * `every` from the warm-up on, the last healed `tail` before the end); `random` (a seeded mix of every family).
 */
export const scheduleSpecSchema = z
  .strictObject({
    cycle: z.array(phaseSchema).min(1).optional(),
    phases: z.array(phaseSchema).min(1).optional(),
    steps: z.array(stepSchema).optional(),
    repeat: z.array(repeatedStepSchema).min(1).optional(),
    /** A seeded mix of the fault families named (by default every one that runs on any etcd build). */
    random: z
      .strictObject({
        faults: z.array(z.string().min(1)).min(1).optional(),
        /** At least this many faults are drawn (those that do not fit in the run are left out). */
        minSteps: z.number().int().min(1).max(50).optional(),
      })
      .optional(),
    warmup: durationSchema.optional(),
    recovery: durationSchema.optional(),
    tail: durationSchema.optional(),
    minWindow: durationSchema.optional(),
    every: durationSchema.optional(),
    on: durationSchema.optional(),
    off: durationSchema.optional(),
  })
  .superRefine((schedule, context) => {
    const forms = (["cycle", "phases", "steps", "repeat", "random"] as const).filter((form) => schedule[form] !== undefined);
    if (forms.length !== 1) {
      context.addIssue({ code: "custom", message: forms.length === 0 ? "a schedule has cycle, phases, steps, repeat or random" : `a schedule has one of cycle, phases, steps, repeat or random, not ${forms.join(" and ")}` });
      return;
    }
    const allowed: Record<string, string[]> = { cycle: ["on", "off", "warmup", "tail"], phases: ["warmup", "recovery", "tail", "minWindow"], steps: [], repeat: ["every", "warmup", "tail"], random: [] };
    for (const key of ["warmup", "recovery", "tail", "minWindow", "every", "on", "off"] as const) {
      if (schedule[key] !== undefined && !allowed[forms[0]!]!.includes(key)) context.addIssue({ code: "custom", path: [key], message: `${key} does not go with ${forms[0]}` });
    }
    if (forms[0] === "repeat" && schedule.every === undefined) context.addIssue({ code: "custom", path: ["every"], message: "repeat needs every: how often a fault starts" });
  });
export type ScheduleSpec = z.infer<typeof scheduleSpecSchema>;

export const checkerEntrySchema = z.union([
  z.string().min(1),
  z.strictObject({
    name: z.string().min(1),
    options: z.unknown().optional(),
    /** Only when the schedule has this fault (a random schedule may have none). */
    whenFault: z.string().min(1).optional(),
  }),
]);
export type CheckerEntry = z.infer<typeof checkerEntrySchema>;

export const scenarioSettingsSchema = z.strictObject({
  rate: z.number().positive().optional(),
  concurrency: z.number().int().positive().optional(),
  keys: z.number().int().positive().optional(),
  distribution: z.enum(["uniform", "zipf"]).optional(),
  readMode: z.enum(["linearizable", "serializable"]).optional(),
  casCompare: z.enum(["value", "mod-revision"]).optional(),
  opTimeout: durationSchema.optional(),
  /** Lock workload: each lease's TTL (whole seconds) and how long a holder holds, [least, most]. */
  lockTtl: durationSchema.optional(),
  lockHold: z.tuple([durationSchema, durationSchema]).optional(),
  /** Watch workload: each session's length (long-lived watches), how often it asks for progress, one-shot watches at future or compaction revisions. */
  watchSession: durationSchema.optional(),
  watchProgress: durationSchema.optional(),
  watchOneShots: z.array(z.enum(["future", "compaction"])).optional(),
  readShare: z.number().min(0).max(1).optional(),
  casShare: z.number().min(0).max(1).optional(),
  writeMix: z.enum(["create-delete", "no-delete"]).optional(),
  watchHop: z.boolean().optional(),
  /** Compact at the current revision this often, beside the workload (compaction traffic). */
  compactEvery: durationSchema.optional(),
  clientEndpoints: z.enum(["member", "all"]).optional(),
  /** TLS on client links, peer links or both; authentication with simple or JWT tokens. */
  tls: z.enum(["client", "peer", "both"]).optional(),
  auth: z.enum(["simple", "jwt"]).optional(),
});

export const scenarioEtcdSchema = z.strictObject({
  /** A release such as 3.6.16; the command line's --etcd, --etcd-source or --etcd-image win. */
  release: z.string().min(1).optional(),
  /** Members on other releases, e.g. { n3: 3.5.35 }. */
  members: z.record(memberName, z.string().min(1)).optional(),
  /** Flags for every member, as name=value ("snapshot-count=100"); --etcd-flag wins for the same name. */
  flags: z.array(z.string().min(1)).optional(),
  memberFlags: z.record(memberName, z.array(z.string().min(1))).optional(),
  /** Members run etcd's corruption checks (at start, every 5 s, and of compaction hashes), with the flags their release has. */
  corruptionChecks: z.boolean().optional(),
});

/** The etcd bug a regression scenario finds again: on `buggy` it should end invalid, on `fixed` valid. */
export const regressionSchema = z.strictObject({
  /** The etcd issue (github.com/etcd-io/etcd/issues/N). */
  issue: z.number().int().positive(),
  /** What goes wrong, in one line. */
  bug: z.string().min(1),
  /** The last release with the bug, which a run uses unless told otherwise. */
  buggy: z.string().min(1),
  /** The first release with the fix. */
  fixed: z.string().min(1),
});
export type Regression = z.infer<typeof regressionSchema>;

export const scenarioSpecSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, { message: "expected a name of lowercase letters, digits, dots, dashes" }),
  summary: z.string().optional(),
  nodes: z.number().int().min(1).max(9).optional(),
  /** Member counts the scenario makes sense for; any from 1 to 9 when absent. */
  allowedNodes: z.array(z.number().int().min(1).max(9)).min(1).optional(),
  time: durationSchema.optional(),
  workload: z.string().min(1).optional(),
  settings: scenarioSettingsSchema.optional(),
  etcd: scenarioEtcdSchema.optional(),
  /** No schedule: no faults. */
  schedule: scheduleSpecSchema.optional(),
  checkers: z.array(checkerEntrySchema).optional(),
  expected: z.enum(["valid", "invalid", "unknown"]).optional(),
  /** A regression scenario: the etcd bug it finds again, with its buggy and fixed releases; it runs the buggy one unless etcd.release or --etcd says otherwise. */
  regression: regressionSchema.optional(),
});
export type ScenarioSpec = z.infer<typeof scenarioSpecSchema>;
