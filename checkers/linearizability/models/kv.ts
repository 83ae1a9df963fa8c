// Key-value model with append/get/put on strings (initially ""), per key: Porcupine's and Jepsen's kv histories.
//
// History encoding (f, key, value):
//   get     invoke value ignored;               ok value: the string read (null counts as "")
//   put     invoke value: the string to store;  ok value ignored
//   append  invoke value: the string to append; ok value ignored
import { HistoryShapeError, type HistoryModel } from "../model.ts";
import { partitionByKey } from "../partition.ts";

export interface KvInput {
  kind: 0 | 1 | 2; // get, put, append
  value: string;
}

/** A string with its polynomial hash, kept incrementally as appends extend it. */
export interface KvState {
  text: string;
  hash: number;
}

const base = 31;

function hashOf(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, base) + text.charCodeAt(i)) | 0;
  return h;
}

function power(exponent: number): number {
  let result = 1;
  let b = base;
  for (let e = exponent; e > 0; e >>>= 1) {
    if (e & 1) result = Math.imul(result, b);
    b = Math.imul(b, b);
  }
  return result;
}

const empty: KvState = { text: "", hash: 0 };

export type KvModel = HistoryModel<KvState, KvInput, string> & { inputKey(input: KvInput): string };

export function kvModel(): KvModel {
  const text = (entry: Parameters<KvModel["input"]>[0], what: string): string => {
    const v = entry.value ?? "";
    if (typeof v !== "string") throw new HistoryShapeError(entry, `${entry.f} needs ${what} as a string, got ${JSON.stringify(v)}`);
    return v;
  };
  return {
    name: "kv",
    handles: (f) => f === "get" || f === "put" || f === "append",
    input(entry) {
      if (entry.key === undefined) throw new HistoryShapeError(entry, `${entry.f} needs a key`);
      if (entry.f === "get") return { kind: 0, value: "" };
      return { kind: entry.f === "put" ? 1 : 2, value: text(entry, "the value") };
    },
    output: (entry, input) => (input.kind === 0 ? text(entry, "the string read") : ""),
    init: () => empty,
    step(state, input, output) {
      if (input.kind === 0) return output === undefined || output === state.text ? state : undefined;
      if (input.kind === 1) return { text: input.value, hash: hashOf(input.value) };
      const added = input.value;
      return { text: state.text + added, hash: (Math.imul(state.hash, power(added.length)) + hashOf(added)) | 0 };
    },
    equal: (a, b) => a.hash === b.hash && a.text === b.text,
    hash: (state) => state.hash,
    partition: partitionByKey,
    // Only gets observe, and a get after an uncertain append or put shows its text until a put replaces it.
    // So one whose text no get shows either never happened or was replaced unseen: leaving it out is exact.
    withoutUnobservable(operations) {
      const seen = operations.filter((op) => op.input.kind === 0 && op.output !== undefined).map((op) => op.output!);
      return operations.filter((op) => op.output !== undefined || op.input.kind === 0 || seen.some((text) => text.includes(op.input.value)));
    },
    readOnly: (input) => input.kind === 0,
    inputKey: (input) => `${input.kind}:${input.value}`,
    describeOperation(input, output) {
      if (input.kind === 0) return `get() -> ${output === undefined ? "?" : JSON.stringify(output)}`;
      return `${input.kind === 1 ? "put" : "append"}(${JSON.stringify(input.value)})`;
    },
    describeState: (state) => JSON.stringify(state.text),
  };
}
