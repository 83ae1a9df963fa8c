// The linearizability checker on small hand-made histories: verdicts, evidence and budgets.
import { describe, expect, it } from "vitest";
import type { HistoryEntry } from "../../../../record/history/entry.ts";
import { checkHistory, HistoryShapeError, kvModel, operationsOfHistory, registerModel, type Model } from "../../../../checkers/linearizability/index.ts";

/** Entries from compact rows: [process, type, f, value, key?], times in row order. */
function history(rows: [number, HistoryEntry["type"], string, unknown, string?][]): HistoryEntry[] {
  return rows.map(([process, type, f, value, key], index) => ({ index, time: index, process, type, f, value, ...(key ? { key } : {}) }));
}

describe("uncertain outcomes", () => {
  it("drops fail operations and reads whose result is unknown, keeps other info operations open-ended", () => {
    const entries = history([
      [0, "invoke", "write", 1],
      [0, "fail", "write", 1],
      [1, "invoke", "read", null],
      [1, "info", "read", null],
      [2, "invoke", "write", 2],
      [2, "info", "write", 2],
      [3, "invoke", "cas", [2, 3]],
    ]);
    const { operations, dropped, uncertain } = operationsOfHistory(entries, registerModel());
    expect(dropped).toBe(2);
    expect(uncertain).toBe(2);
    expect(operations.map((op) => [op.f, op.ret])).toEqual([
      ["write", Infinity],
      ["cas", Infinity],
    ]);
  });

  it("lets an info write take effect long after it timed out, or never", () => {
    const late = history([
      [0, "invoke", "write", 1],
      [0, "info", "write", 1],
      [1, "invoke", "read", null],
      [1, "ok", "read", null],
      [1, "invoke", "read", null],
      [1, "ok", "read", 1],
    ]);
    expect(checkHistory(late, registerModel()).verdict).toBe("valid");
    const failed = late.map((e) => (e.type === "info" ? { ...e, type: "fail" as const } : e));
    expect(checkHistory(failed, registerModel()).verdict).toBe("invalid");
  });

  it("reads a failed cas as a compare that did not match", () => {
    const entries = history([
      [0, "invoke", "write", 1],
      [0, "ok", "write", 1],
      [1, "invoke", "cas", [1, 2]],
      [1, "ok", "cas", false],
    ]);
    expect(checkHistory(entries, registerModel()).verdict).toBe("invalid");
  });
});

describe("evidence", () => {
  it("names the operation that cannot be placed, the prefix, the state and the concurrent operations", () => {
    const entries = history([
      [0, "invoke", "write", 1, "k"],
      [0, "ok", "write", 1, "k"],
      [1, "invoke", "write", 2, "k"],
      [2, "invoke", "read", null, "k"],
      [2, "ok", "read", 3, "k"],
      [1, "ok", "write", 2, "k"],
      [0, "invoke", "read", null, "other"],
      [0, "ok", "read", null, "other"],
    ]);
    const result = checkHistory(entries, registerModel());
    expect(result.verdict).toBe("invalid");
    const bad = result.partitions.find((p) => p.verdict === "invalid");
    if (bad?.verdict !== "invalid") throw new Error("no invalid partition");
    expect(bad.label).toBe("k");
    expect(bad.counterexample.blocked).toMatchObject({ f: "read", description: "read() -> 3", invokeIndex: 3, completeIndex: 4 });
    expect(bad.counterexample.prefix.map((op) => op.description)[0]).toBe("write(1)");
    expect(bad.counterexample.concurrent.map((op) => op.description)).toContain("write(2)");
    expect(typeof bad.counterexample.stateBefore).toBe("string");
  });

  it("checks partitions independently: one bad key does not hide behind good ones", () => {
    const good = history([
      [0, "invoke", "append", "x", "a"],
      [0, "ok", "append", "x", "a"],
      [0, "invoke", "get", null, "a"],
      [0, "ok", "get", "x", "a"],
      [1, "invoke", "get", null, "b"],
      [1, "ok", "get", "y", "b"],
    ]);
    const result = checkHistory(good, kvModel(), { stopOnInvalid: false });
    expect(result.partitions.map((p) => [p.label, p.verdict]).sort()).toEqual([
      ["a", "valid"],
      ["b", "invalid"],
    ]);
  });
});

describe("unknown", () => {
  // Many concurrent uncertain appends of distinct tokens and a read that shows them all plus text nobody
  // wrote: refuting it means trying every order of every subset of the appends.
  const hard: HistoryEntry[] = [];
  for (let p = 0; p < 14; p++) hard.push({ index: hard.length, time: 0, process: p, type: "invoke", f: "append", key: "k", value: `t${p}` });
  hard.push({ index: hard.length, time: 1, process: 99, type: "invoke", f: "get", key: "k", value: null });
  const shown = Array.from({ length: 14 }, (_, p) => `t${p}`).join("") + "!";
  hard.push({ index: hard.length, time: 2, process: 99, type: "ok", f: "get", key: "k", value: shown });

  it("says the configuration budget ran out", () => {
    const result = checkHistory(hard, kvModel(), { maxConfigurations: 5000 });
    expect(result.verdict).toBe("unknown");
    expect(result.partitions[0]).toMatchObject({ verdict: "unknown", reason: { kind: "budget", limit: "configurations", maxConfigurations: 5000 } });
    const reason = result.partitions[0]!.verdict === "unknown" ? result.partitions[0]!.reason.message : "";
    expect(reason).toMatch(/^search not finished within its memory budget: \d+ configurations remembered \([\d.]+ KiB\), more than the 5000 allowed$/);
  });

  it("says when it is the bytes the configurations take that ran out, not their count", () => {
    const result = checkHistory(hard, kvModel(), { maxCacheBytes: 2 ** 16 });
    expect(result.partitions[0]).toMatchObject({ verdict: "unknown", reason: { kind: "budget", limit: "bytes" } });
    const reason = result.partitions[0]!.verdict === "unknown" ? result.partitions[0]!.reason.message : "";
    expect(reason).toMatch(/configurations remembered \([\d.]+ KiB\), more than the 64 KiB allowed$/);
    expect(reason).not.toMatch(/5000000/);
  });

  it("says the time budget ran out", () => {
    const result = checkHistory(hard, kvModel(), { timeoutMs: 1 });
    expect(result.partitions[0]).toMatchObject({ verdict: "unknown", reason: { kind: "timeout", limitMs: 1 } });
  });

  it("turns an exception in the model into unknown, never a pass", () => {
    const model = registerModel();
    const broken = { ...model, step: () => { throw new Error("boom"); } } as unknown as Model<number, unknown, unknown>;
    const entries = history([[0, "invoke", "write", 1], [0, "ok", "write", 1]]);
    const result = checkHistory(entries, { ...model, ...broken } as never);
    expect(result.verdict).toBe("unknown");
    expect(result.partitions[0]).toMatchObject({ reason: { kind: "error" } });
  });
});

describe("shapes", () => {
  it("rejects entries a model cannot read, naming the entry", () => {
    const entries = history([[0, "invoke", "cas", 5]]);
    expect(() => checkHistory(entries, registerModel())).toThrow(HistoryShapeError);
    const unpaired = history([[0, "ok", "read", 1]]);
    expect(() => checkHistory(unpaired, registerModel())).toThrow(/without invoking/);
  });

  it("ignores operations of other checkers and nemesis events", () => {
    const entries: HistoryEntry[] = [
      { index: 0, time: 0, process: "nemesis", type: "info", f: "partition", value: ["n1"] },
      { index: 1, time: 1, process: 0, type: "invoke", f: "watch", key: "k" },
      { index: 2, time: 2, process: 0, type: "ok", f: "watch", key: "k" },
    ];
    const result = checkHistory(entries, registerModel());
    expect(result).toMatchObject({ verdict: "valid", ignored: 2, operations: 0 });
  });
});
