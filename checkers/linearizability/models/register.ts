// Register model (read/write/cas, initially nil), per key: the Jepsen etcd histories and register workloads.
//
// History encoding (f, value), one register per `key` (no key: one register):
//   read   invoke value ignored;       ok value: the value read, null when absent (nil)
//   write  invoke value: the value;    ok value ignored
//   cas    invoke value: [from, to];   ok value: [from, to] or true when it swapped, false when the register
//          did not hold `from` (it happened and changed nothing)
// Values are any JSON values, compared as JSON text. A `fail` completion means the operation did not happen;
// `info` means it may have happened (for cas: swapped if the register held `from`) at any time, or never.
import type { HistoryEntry } from "../../../record/history/entry.ts";
import { HistoryShapeError, type HistoryModel } from "../model.ts";
import { partitionByKey } from "../partition.ts";
import { ValueTable } from "./value-table.ts";

export const registerOps = { read: 0, write: 1, cas: 2 } as const;

/** kind: 0 read, 1 write, 2 cas; `a` is the written value or cas `from`, `b` the cas `to` (interned ids). */
export interface RegisterInput {
  kind: 0 | 1 | 2;
  a: number;
  b: number;
}

/** read: the value id read; write: 1; cas: 1 swapped, 0 compare failed. */
export type RegisterOutput = number;

export type RegisterModel = HistoryModel<number, RegisterInput, RegisterOutput> & {
  inputKey(input: RegisterInput): string;
  readonly values: ValueTable;
};

/** A new register model: each instance has its own table of values. */
export function registerModel(): RegisterModel {
  const values = new ValueTable();
  const casPair = (entry: HistoryEntry): [unknown, unknown] => {
    const v = entry.value;
    if (Array.isArray(v) && v.length === 2) return [v[0], v[1]];
    if (v !== null && typeof v === "object" && "from" in v && "to" in v) return [v.from, v.to];
    throw new HistoryShapeError(entry, `cas needs value [from, to], got ${JSON.stringify(v)}`);
  };
  return {
    name: "register",
    values,
    handles: (f) => f === "read" || f === "write" || f === "cas",
    input(entry) {
      if (entry.f === "read") return { kind: 0, a: 0, b: 0 };
      if (entry.f === "write") {
        if (entry.value === undefined) throw new HistoryShapeError(entry, "write needs the value written");
        return { kind: 1, a: values.id(entry.value), b: 0 };
      }
      const [from, to] = casPair(entry);
      return { kind: 2, a: values.id(from), b: values.id(to) };
    },
    output(entry, input) {
      if (input.kind === 0) {
        if (entry.value === undefined) throw new HistoryShapeError(entry, "an ok read needs the value read (null when absent)");
        return values.id(entry.value);
      }
      if (input.kind === 1) return 1;
      return entry.value === false ? 0 : 1;
    },
    init: () => 0,
    step(state, input, output) {
      if (input.kind === 0) return output === undefined || output === state ? state : undefined;
      if (input.kind === 1) return input.a;
      const matches = state === input.a;
      if (output === undefined) return matches ? input.b : state;
      if (output === 1) return matches ? input.b : undefined;
      return matches ? undefined : state;
    },
    equal: (a, b) => a === b,
    hash: (state) => state,
    partition: partitionByKey,
    // An uncertain write or cas whose value nothing observes (no read returns it, no cas kept in the
    // history compares against it) either never happened or was overwritten unseen: leaving it out is
    // exact, unless a cas that failed its compare is known, since that observes only that the value differed.
    withoutUnobservable(operations) {
      if (operations.some((op) => op.input.kind === 2 && op.output === 0)) return operations.slice();
      const written = (op: (typeof operations)[number]): number => (op.input.kind === 1 ? op.input.a : op.input.b);
      const kept = new Set(operations.filter((op) => op.output !== undefined || op.input.kind === 0));
      const observed = new Set<number>();
      for (const op of kept) {
        if (op.input.kind === 0 && op.output !== undefined) observed.add(op.output);
        if (op.input.kind === 2) observed.add(op.input.a);
      }
      // A kept uncertain cas observes its `from` too, which may make another uncertain write needed.
      for (let grew = true; grew; ) {
        grew = false;
        for (const op of operations) {
          if (kept.has(op) || !observed.has(written(op))) continue;
          kept.add(op);
          if (op.input.kind === 2) observed.add(op.input.a);
          grew = true;
        }
      }
      return operations.filter((op) => kept.has(op));
    },
    readOnly: (input) => input.kind === 0,
    inputKey: (input) => `${input.kind}:${input.a}:${input.b}`,
    describeOperation(input, output) {
      if (input.kind === 0) return `read() -> ${output === undefined ? "?" : values.describe(output)}`;
      if (input.kind === 1) return `write(${values.describe(input.a)})`;
      const result = output === undefined ? "?" : output === 1 ? "ok" : "fail";
      return `cas(${values.describe(input.a)}, ${values.describe(input.b)}) -> ${result}`;
    },
    describeState: (state) => values.describe(state),
  };
}
