// fast-check arbitraries of small concurrent histories with ok, fail and info outcomes over several keys.
import fc from "fast-check";
import type { HistoryEntry } from "../../../../record/history/entry.ts";

interface OpSketch {
  process: number;
  key: string;
  kind: number;
  a: number;
  b: number;
  result: number;
  outcome: "ok" | "fail" | "info" | "open";
  gap: number;
  duration: number;
}

const sketch = fc.record({
  process: fc.integer({ min: 0, max: 3 }),
  key: fc.constantFrom("a", "b", "c"),
  kind: fc.integer({ min: 0, max: 2 }),
  a: fc.integer({ min: 0, max: 2 }),
  b: fc.integer({ min: 0, max: 2 }),
  result: fc.integer({ min: -1, max: 5 }),
  outcome: fc.constantFrom<OpSketch["outcome"]>("ok", "ok", "ok", "fail", "info", "info", "open"),
  gap: fc.integer({ min: 0, max: 3 }),
  duration: fc.integer({ min: 0, max: 5 }),
});

/** Lays operations on per-process timelines (a process runs one operation at a time) and records entries. */
function historyOf(ops: OpSketch[], encode: (op: OpSketch) => { f: string; invoke: unknown; ok: unknown }): HistoryEntry[] {
  const clock = new Map<number, number>();
  const stopped = new Set<number>();
  const timed: { time: number; seq: number; entry: Omit<HistoryEntry, "index"> }[] = [];
  for (const op of ops) {
    if (stopped.has(op.process)) continue; // an open invocation never completes: its process is done
    const call = (clock.get(op.process) ?? 0) + op.gap;
    const ret = call + op.duration;
    clock.set(op.process, ret + 1);
    const { f, invoke, ok } = encode(op);
    timed.push({ time: call, seq: timed.length, entry: { time: call, process: op.process, type: "invoke", f, key: op.key, value: invoke } });
    if (op.outcome === "open") {
      stopped.add(op.process);
      continue;
    }
    const type = op.outcome;
    timed.push({ time: ret, seq: timed.length, entry: { time: ret, process: op.process, type, f, key: op.key, value: type === "ok" ? ok : invoke } });
  }
  timed.sort((x, y) => x.time - y.time || x.seq - y.seq);
  return timed.map((t, index) => ({ index, ...t.entry }) as HistoryEntry);
}

/** Registers over keys a, b, c: read/write/cas with values 0..2 and arbitrary (often wrong) results. */
export const registerHistory = fc.array(sketch, { minLength: 1, maxLength: 10 }).map((ops) =>
  historyOf(ops, (op) => {
    if (op.kind === 0) return { f: "read", invoke: null, ok: op.result < 0 || op.result > 2 ? null : op.result };
    if (op.kind === 1) return { f: "write", invoke: op.a, ok: op.a };
    return { f: "cas", invoke: [op.a, op.b], ok: op.result % 2 === 0 ? [op.a, op.b] : false };
  }),
);

const tokens = ["x", "y"];
const strings = ["", "x", "y", "xy", "yx", "xx", "yy"];

/** Strings over keys a, b, c: get/put/append of short tokens, gets returning arbitrary short strings. */
export const kvHistory = fc.array(sketch, { minLength: 1, maxLength: 10 }).map((ops) =>
  historyOf(ops, (op) => {
    if (op.kind === 0) return { f: "get", invoke: null, ok: strings[Math.abs(op.result) % strings.length] };
    return { f: op.kind === 1 ? "put" : "append", invoke: tokens[op.a % 2], ok: tokens[op.a % 2] };
  }),
);
