// How many times a run's faults changed the cluster: each injection and each heal is a transition.
import type { RunResults } from "../record/results.ts";

/** "9 faults: 18 transitions (each injected, then healed)", or undefined when none was played. */
export function transitionsPhrase(results: Pick<RunResults, "faults">): string | undefined {
  const played = results.faults.length;
  if (played === 0) return undefined;
  return `${played} ${played === 1 ? "fault" : "faults"}: ${2 * played} transitions (each injected, then healed)`;
}
