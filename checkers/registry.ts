// Every checker a scenario can name.
import { availabilityChecker } from "./availability.ts";
import type { Checker } from "./checker.ts";
import { convergenceChecker } from "./convergence.ts";
import { durabilityChecker } from "./durability.ts";
import { faultsTookEffectChecker } from "./faults-took-effect.ts";
import { linearizabilityChecker } from "./linearizability-checker.ts";
import { lockChecker } from "./lock.ts";
import { minorityRefusesChecker } from "./minority-refuses.ts";
import { quotaAlarmChecker } from "./quota-alarm.ts";
import { splitBrainChecker } from "./split-brain.ts";
import { watchChecker } from "./watch.ts";

const checkers: Checker[] = [
  linearizabilityChecker("register"),
  linearizabilityChecker("etcd", "linearizability-etcd"),
  minorityRefusesChecker,
  splitBrainChecker,
  availabilityChecker,
  durabilityChecker,
  convergenceChecker,
  faultsTookEffectChecker,
  quotaAlarmChecker,
  watchChecker,
  lockChecker,
];

export function checkerNamed(name: string): Checker {
  const checker = checkers.find((candidate) => candidate.name === name);
  if (!checker) throw new Error(`no checker named ${name}; known: ${checkers.map((known) => known.name).join(", ")}`);
  return checker;
}
