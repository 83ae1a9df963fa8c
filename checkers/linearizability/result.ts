// What the linearizability checker returns: a verdict per partition, with evidence a report can draw.
import type { Verdict } from "../../record/check-result.ts";

export type { Verdict };

/** One operation as reports show it. `ret` is null when the outcome is unknown (no return). */
export interface OperationView {
  id: number;
  process: number | string;
  key: string | undefined;
  f: string;
  /** The model's rendering of input and output, e.g. `cas(1, 2) -> ok`. */
  description: string;
  outcome: "ok" | "unknown";
  call: number;
  ret: number | null;
  invokeIndex: number;
  completeIndex: number | null;
}

/** Why a history is not linearizable: the furthest the search got. */
export interface Counterexample {
  /** The operation that cannot be placed: its completion was reached with no way to linearize it. */
  blocked: OperationView;
  /** The longest linearizable prefix found, in linearization order. */
  prefix: OperationView[];
  /** Model state after that prefix, as the model describes it. */
  stateBefore: string;
  /** Operations whose intervals overlap the blocked one's (in the prefix or not): they could go around it. */
  concurrent: OperationView[];
}

/** The memory limit a search ran into: the configuration count, the bytes they take, or the JavaScript heap (80% of it). */
export type MemoryLimit = "configurations" | "bytes" | "heap";

export type UnknownReason =
  | { kind: "timeout"; limitMs: number; message: string }
  | { kind: "budget"; limit: MemoryLimit; maxConfigurations: number; message: string }
  | { kind: "error"; message: string }
  /** Not finished because another partition was already invalid (with stopOnInvalid). */
  | { kind: "skipped"; message: string };

interface PartitionBase {
  /** Keys of the partition (the first few), or "" for operations without keys. */
  label: string;
  operations: number;
  /** Configurations (linearized set, state) explored. */
  configurations: number;
  elapsedMs: number;
}

export type PartitionResult =
  | (PartitionBase & { verdict: "valid" })
  | (PartitionBase & { verdict: "invalid"; counterexample: Counterexample })
  | (PartitionBase & { verdict: "unknown"; reason: UnknownReason });

export interface LinearizabilityResult {
  checker: "linearizability";
  model: string;
  verdict: Verdict;
  /** Operations checked (uncertain ones included). */
  operations: number;
  /** Operations kept with an unknown outcome. */
  uncertain: number;
  /** Operations that constrain nothing: failed ones and reads whose result is unknown. */
  dropped: number;
  /** Client entries the model does not handle (other checkers' operations). */
  ignored: number;
  /** Uncertain operations the evidence settled (models with `settle`): placed at a proven outcome, or dropped. */
  settled?: { placed: number; dropped: number; unread: number };
  partitions: PartitionResult[];
  elapsedMs: number;
}
