// Finds linearizability counterexamples in any checker's evidence (the shape of checkers/linearizability/result.ts).
import type { CheckResult } from "../checkers/checker.ts";
import type { Counterexample, OperationView } from "../checkers/linearizability/result.ts";

export interface LabelledCounterexample {
  /** The partition's keys, or "" when operations have none. */
  label: string;
  counterexample: Counterexample;
}

export function counterexamplesOf(result: CheckResult): LabelledCounterexample[] {
  const partitions = result["partitions"];
  if (!Array.isArray(partitions)) return [];
  return partitions.flatMap((partition: { label?: unknown; counterexample?: unknown }) =>
    isCounterexample(partition?.counterexample) ? [{ label: String(partition.label ?? ""), counterexample: partition.counterexample }] : [],
  );
}

function isCounterexample(value: unknown): value is Counterexample {
  const candidate = value as Partial<Counterexample> | undefined;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    isOperationView(candidate.blocked) &&
    Array.isArray(candidate.concurrent) &&
    Array.isArray(candidate.prefix)
  );
}

function isOperationView(value: unknown): value is OperationView {
  return typeof value === "object" && value !== null && typeof (value as OperationView).invokeIndex === "number";
}
