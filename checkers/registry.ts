// Every checker a scenario can name.
import type { Checker } from "./checker.ts";
import { convergenceChecker } from "./convergence.ts";
import { faultsTookEffectChecker } from "./faults-took-effect.ts";
import { linearizabilityChecker } from "./linearizability-checker.ts";
import { lockChecker } from "./lock.ts";
import { majorityAvailableChecker } from "./majority-available.ts";
import { minorityRefusesChecker } from "./minority-refuses.ts";
import { quotaAlarmChecker } from "./quota-alarm.ts";
import { watchChecker } from "./watch.ts";

const checkers: Checker[] = [
  linearizabilityChecker("register"),
  linearizabilityChecker("etcd", "linearizability-etcd"),
  minorityRefusesChecker,
  majorityAvailableChecker(),
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
