// Pairs invocations with completions and applies the rules for uncertain outcomes, giving the checker's operations.
import type { HistoryEntry } from "../../record/history/entry.ts";
import { HistoryShapeError, type HistoryCodec, type Model, type Operation } from "./model.ts";

export interface OperationsOfHistory<Input, Output> {
  operations: Operation<Input, Output>[];
  /** Client entries whose `f` the model does not handle (watches, locks, ...), invocations and completions. */
  ignored: number;
  /** Operations that constrain nothing: `fail` (never took effect) and reads whose result is unknown. */
  dropped: number;
  /** Operations kept with an unknown outcome (`info`, or invoked and never completed). */
  uncertain: number;
}

/**
 * The rules: `ok` is an operation with a known result; `fail` never took effect and is dropped; `info`, or an
 * invocation without completion, may take effect at any time after its invocation or never, so it is kept
 * with an unknown output and no return time, unless it is read-only, when it constrains nothing and is dropped.
 * Times come from `entry.time` (only their order matters; equal times count as concurrent).
 */
export function operationsOfHistory<Input, Output>(
  entries: readonly HistoryEntry[],
  model: HistoryCodec<Input, Output> & Pick<Model<unknown, Input, Output>, "readOnly">,
): OperationsOfHistory<Input, Output> {
  // Slots are taken at invocation, so operations end up in invocation order; dropped ones leave holes.
  const slots: ({ id: number } & Omit<Operation<Input, Output>, "id">)[] = [];
  const pending = new Map<number | string, { entry: HistoryEntry; input: Input; slot: number } | null>();
  let ignored = 0;
  let dropped = 0;
  let uncertain = 0;
  const readOnly = model.readOnly?.bind(model);

  const keep = (
    slot: number,
    invoke: HistoryEntry,
    input: Input,
    output: Output | undefined,
    completion: HistoryEntry | undefined,
  ) => {
    const open = output === undefined;
    if (open && readOnly?.(input)) {
      dropped++;
      return;
    }
    if (open) uncertain++;
    slots[slot] = {
      id: 0,
      process: invoke.process,
      key: invoke.key,
      f: invoke.f,
      input,
      output,
      call: invoke.time,
      ret: open ? Infinity : completion!.time,
      invokeIndex: invoke.index,
      completeIndex: completion?.index,
    };
  };

  for (const entry of entries) {
    if (entry.process === "nemesis") continue;
    const waiting = pending.get(entry.process);
    if (entry.type === "invoke") {
      if (waiting !== undefined) {
        throw new HistoryShapeError(entry, `process ${entry.process} invoked again before its previous operation completed`);
      }
      if (!model.handles(entry.f)) {
        ignored++;
        pending.set(entry.process, null);
        continue;
      }
      pending.set(entry.process, { entry, input: model.input(entry), slot: slots.length });
      slots.length++;
      continue;
    }
    if (waiting === undefined) {
      throw new HistoryShapeError(entry, `process ${entry.process} completed "${entry.f}" without invoking it`);
    }
    pending.delete(entry.process);
    if (waiting === null) {
      ignored++;
      continue;
    }
    if (entry.f !== waiting.entry.f) {
      throw new HistoryShapeError(entry, `process ${entry.process} invoked "${waiting.entry.f}" but completed "${entry.f}"`);
    }
    if (entry.type === "fail") dropped++;
    else if (entry.type === "info") keep(waiting.slot, waiting.entry, waiting.input, undefined, undefined);
    else keep(waiting.slot, waiting.entry, waiting.input, model.output(entry, waiting.input), entry);
  }
  // Invoked and never completed: the outcome is unknown, exactly as for `info`.
  for (const waiting of pending.values()) {
    if (waiting === null) ignored++;
    else keep(waiting.slot, waiting.entry, waiting.input, undefined, undefined);
  }
  const operations: Operation<Input, Output>[] = [];
  for (const operation of slots) {
    if (operation === undefined) continue;
    operation.id = operations.length;
    operations.push(operation);
  }
  return { operations, ignored, dropped, uncertain };
}
