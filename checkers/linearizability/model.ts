// The extension surface of the linearizability checker: a sequential model of one datatype, Porcupine-shaped.
import type { HistoryEntry } from "../../record/history/entry.ts";

/**
 * One operation of a history: an invocation paired with its completion. `output` is undefined when the
 * outcome is unknown (the completion was `info`, or never recorded): such an operation may take effect at
 * any time after `call`, or never, and `ret` is then Infinity.
 */
export interface Operation<Input, Output> {
  /** Position in the operation list handed to the checker, from 0. */
  readonly id: number;
  readonly process: number | string;
  /** The key the history names, if any: partition labels and reports use it. */
  readonly key: string | undefined;
  readonly f: string;
  readonly input: Input;
  readonly output: Output | undefined;
  /** Invocation and completion times (nanoseconds or positions: only their order matters). */
  readonly call: number;
  readonly ret: number;
  /** `index` of the invoke entry and of the completion entry in the history (undefined when open-ended). */
  readonly invokeIndex: number;
  readonly completeIndex: number | undefined;
}

/**
 * A sequential specification. States are immutable values and never undefined: `step` returns the next
 * state, or undefined when the operation cannot have produced `output` from `state`. With `output`
 * undefined (outcome unknown) `step` says what happens if the operation took effect.
 * `equal` states must have equal `hash`es (a 32-bit integer).
 */
export interface Model<State, Input, Output> {
  readonly name: string;
  init(): State;
  step(state: State, input: Input, output: Output | undefined): State | undefined;
  equal(a: State, b: State): boolean;
  hash(state: State): number;
  /**
   * Splits a history into parts that are linearizable together exactly when each part is alone
   * (P-compositionality, e.g. one part per key). Each part is then checked from `init()`.
   * Omitted: the whole history is one part.
   */
  partition?(operations: readonly Operation<Input, Output>[]): Operation<Input, Output>[][];
  /**
   * Optional: called once with every operation before the search, so the model can learn facts that every
   * linearization must respect (etcd: which key and value the write at each revision stored).
   */
  prepare?(operations: readonly Operation<Input, Output>[]): void;
  /**
   * Optional: uncertain operations whose outcome the history proves, settled before the search: given the
   * output the evidence shows, dropped when they could only have taken effect after every recorded
   * result, or (`unread`) stripped of what no result can tell apart. Must not change the verdict.
   */
  settle?(operations: readonly Operation<Input, Output>[]): { operations: Operation<Input, Output>[]; placed: number; dropped: number; unread?: number };
  /**
   * Optional: the operations of one partition without uncertain ones that provably change no recorded result
   * (a kv append whose text no read ever shows). Must not change the verdict; spares the search their orders.
   */
  withoutUnobservable?(operations: readonly Operation<Input, Output>[]): Operation<Input, Output>[];
  /** An operation that can never change the state; when its outcome is unknown it constrains nothing. */
  readOnly?(input: Input): boolean;
  /**
   * Optional pruning for models with a clock, such as etcd's store revision. `progress` never decreases
   * along steps; an operation's `limit` is the most progress it allows before it (etcd: its header revision,
   * less one for the write that made that revision).
   * The search drops a configuration whose progress passes the limit of an operation still to be placed.
   */
  progress?(state: State): number;
  limit?(input: Input, output: Output): number;
  /**
   * Optional: where an operation with a known outcome stands in every linearization (etcd: its revision,
   * a write before the reads at it), or undefined when the output does not say. The contract: when the
   * model accepts a linearization, it accepts one with the same operations whose known ones come in rank
   * order, equal ranks by call time; and, with `progress`, a step from a state of finite progress that
   * leaves the progress as it was leaves the state equal. When every known operation of a partition has a
   * rank, the search keeps them in that order and branches only over where uncertain ones go (ordered-search.ts).
   */
  rank?(input: Input, output: Output): number | undefined;
  /**
   * Optional, with `rank`: whether the known operations alone show that no linearization can place this one
   * (etcd: a read showing a key unchanged at a revision where an answered write changed it). The search then
   * need only reach the first such operation to report it blocked. Asked after `prepare`.
   */
  impossible?(input: Input, output: Output): boolean;
  describeOperation(input: Input, output: Output | undefined): string;
  describeState(state: State): string;
}

/** How a model reads its operations out of history entries. Shape errors are thrown as HistoryShapeError. */
export interface HistoryCodec<Input, Output> {
  /** Whether entries with this `f` are this model's (others, such as watches, are ignored). */
  handles(f: string): boolean;
  input(invoke: HistoryEntry): Input;
  /** The output of an `ok` completion. */
  output(completion: HistoryEntry, input: Input): Output;
  /** Optional: learns facts the history records outside the model's own operations (etcd: what watches delivered). */
  learn?(entries: readonly HistoryEntry[]): void;
}

/** A model that also knows how its operations are recorded: what `checkHistory` takes. */
export interface HistoryModel<State, Input, Output> extends Model<State, Input, Output>, HistoryCodec<Input, Output> {}

// Models are used through these erased forms by the checker, which never looks inside states or values.
export type AnyModel = Model<unknown, unknown, unknown>;
export type AnyHistoryModel = HistoryModel<unknown, unknown, unknown>;
export type AnyOperation = Operation<unknown, unknown>;

/** An entry whose value does not have the shape its model expects; `entry` says which one. */
export class HistoryShapeError extends Error {
  readonly entry: HistoryEntry;

  constructor(entry: HistoryEntry, message: string) {
    super(message);
    this.name = "HistoryShapeError";
    this.entry = entry;
  }
}
