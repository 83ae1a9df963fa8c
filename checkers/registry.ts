// Every checker a scenario or a workload can name, and how a named checker is built with its options.
import type { z } from "zod";
import type { CheckerSpec } from "../record/results.ts";
import { authChecker } from "./auth.ts";
import { autoCompactionChecker, autoCompactionOptionsSchema } from "./auto-compaction.ts";
import { availabilityChecker, availabilityOptionsSchema } from "./availability.ts";
import type { Checker } from "./checker.ts";
import { convergenceChecker } from "./convergence.ts";
import { corruptionChecker } from "./corruption.ts";
import { durabilityChecker } from "./durability.ts";
import { faultsTookEffectChecker } from "./faults-took-effect.ts";
import { linearizabilityChecker } from "./linearizability-checker.ts";
import { leaderHandoffChecker } from "./leader-handoff.ts";
import { lockChecker } from "./lock.ts";
import { quorumWindowChecker } from "./quorum-window.ts";
import { minorityRefusesChecker } from "./minority-refuses.ts";
import { quotaAlarmChecker } from "./quota-alarm.ts";
import { perEra } from "./recovery-eras.ts";
import { recoveryPointChecker } from "./recovery-point.ts";
import { recoveryTimeChecker } from "./recovery-time.ts";
import { revisionMonotonicChecker } from "./revision-monotonic.ts";
import { splitBrainChecker } from "./split-brain.ts";
import { tuningChecker } from "./tuning.ts";
import { transactionalChecker, transactionalOptionsSchema } from "./transactional.ts";
import { watchChecker } from "./watch.ts";

interface CheckerEntry {
  /** The options' schema, for checkers constructed with options. */
  options?: z.ZodType;
  create(options: unknown): Checker;
}

const fixed = (checker: Checker): CheckerEntry => ({ create: () => checker });

const entries: Record<string, CheckerEntry> = {
  linearizability: fixed(linearizabilityChecker("register")),
  "linearizability-etcd": fixed(linearizabilityChecker("etcd", "linearizability-etcd")),
  "minority-refuses": fixed(minorityRefusesChecker),
  "split-brain": fixed(splitBrainChecker),
  availability: { options: availabilityOptionsSchema, create: (options) => availabilityChecker(availabilityOptionsSchema.parse(options ?? {})) },
  durability: fixed(durabilityChecker),
  convergence: fixed(convergenceChecker),
  "faults-took-effect": fixed(faultsTookEffectChecker),
  "quota-alarm": fixed(quotaAlarmChecker),
  watch: fixed(watchChecker),
  "auto-compaction": { options: autoCompactionOptionsSchema, create: (options) => autoCompactionChecker(autoCompactionOptionsSchema.parse(options ?? {})) },
  lock: fixed(lockChecker),
  "leader-handoff": fixed(leaderHandoffChecker),
  "quorum-window": fixed(quorumWindowChecker),
  tuning: fixed(tuningChecker),
  corruption: fixed(corruptionChecker),
  "revision-monotonic": fixed(revisionMonotonicChecker),
  auth: fixed(authChecker),
  "recovery-point": fixed(recoveryPointChecker),
  "recovery-time": fixed(recoveryTimeChecker),
  "elle-append": { options: transactionalOptionsSchema, create: (options) => transactionalChecker("list-append", transactionalOptionsSchema.parse(options ?? {})) },
  "elle-wr": { options: transactionalOptionsSchema, create: (options) => transactionalChecker("rw-register", transactionalOptionsSchema.parse(options ?? {})) },
};

export const checkerNames = Object.keys(entries);

/** Checkers that judge a run with a disaster recovery whole; every other judges each era on its own (recovery-eras.ts). */
const wholeRun = new Set(["recovery-point", "recovery-time", "faults-took-effect", "convergence"]);

/** The checker a spec names, constructed with its options; an unknown name or bad options throw, naming what is wrong. */
export function buildChecker(spec: CheckerSpec): Checker {
  const entry = entries[spec.name];
  if (!entry) throw new Error(`no checker named ${spec.name}; known: ${checkerNames.join(", ")}`);
  if (entry.options) {
    const parsed = entry.options.safeParse(spec.options ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`checker ${spec.name}: options.${issue.path.join(".")}: ${issue.message}`);
    }
  } else if (spec.options !== undefined) {
    throw new Error(`checker ${spec.name} takes no options`);
  }
  const checker = entry.create(spec.options);
  return wholeRun.has(spec.name) ? checker : perEra(checker);
}
