// What counts as the failure being shrunk: a checker that found the original run invalid finds the variant invalid too.
import type { RunResults } from "../../record/results.ts";

/** The checkers that found the run invalid, by name. */
export function invalidCheckers(run: Pick<RunResults, "checkers">): string[] {
  return Object.entries(run.checkers)
    .filter(([, result]) => result.verdict === "invalid")
    .map(([name]) => name)
    .sort();
}

/**
 * True when the variant fails the way the original did. A variant that is invalid only by another
 * checker (fewer clients can leave the majority without a writer, and availability then fails) is a
 * different failure, and shrinking towards it would hand the user a reproduction of the wrong thing.
 */
export function failsTheSameWay(original: Pick<RunResults, "checkers">, variant: Pick<RunResults, "checkers">): boolean {
  const found = new Set(invalidCheckers(variant));
  return invalidCheckers(original).some((name) => found.has(name));
}
