// Which checkers judge an application's history: a registered checker by name (with options), a checker of your own, or linearizability against your model.
import type { Checker } from "../checkers/checker.ts";
import { linearizabilityChecker } from "../checkers/linearizability-checker.ts";
import type { AnyHistoryModel, HistoryModel } from "../checkers/linearizability/model.ts";
import { buildChecker, checkerNames } from "../checkers/registry.ts";
import type { CheckerSpec } from "../record/results.ts";

export type CheckerChoice = string | CheckerSpec | Checker;

/** The linearizability checker with a model of your datatype, made fresh for each check (see docs/library.md). */
export function linearizabilityOf<State, Input, Output>(model: () => HistoryModel<State, Input, Output>, options: { name?: string; timeoutMs?: number } = {}): Checker {
  return linearizabilityChecker(() => model() as unknown as AnyHistoryModel, options.name ?? "linearizability", options.timeoutMs);
}

export function checkersFor(choices: readonly CheckerChoice[]): Checker[] {
  if (choices.length === 0) throw new Error(`no checker chosen; name one or more of: ${checkerNames.join(", ")}`);
  return choices.map((choice) => {
    if (typeof choice === "string") return buildNamed({ name: choice });
    if ("check" in choice) return choice;
    return buildNamed(choice);
  });
}

function buildNamed(spec: CheckerSpec): Checker {
  if (!checkerNames.includes(spec.name)) throw new Error(`no checker named ${spec.name}; known: ${checkerNames.join(", ")}`);
  return buildChecker(spec);
}
