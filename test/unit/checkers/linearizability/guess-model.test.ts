// Which model `harness check` picks for a history it is not told about.
import { describe, expect, it } from "vitest";
import { guessModel } from "../../../../checkers/linearizability/index.ts";
import type { HistoryEntry } from "../../../../record/history/entry.ts";

const entries = (...fs: string[]): HistoryEntry[] => fs.map((f, index) => ({ index, time: index, process: 1, type: "invoke", f }));

describe("guessModel", () => {
  it("reads registers, the kv model and the etcd model from the operations present", () => {
    expect(guessModel(entries("read", "write", "cas"), "jsonl")).toBe("register");
    expect(guessModel(entries("append", "read"), "edn")).toBe("kv");
    expect(guessModel(entries("get", "put", "txn"), "jsonl")).toBe("etcd");
    expect(guessModel(entries("get", "put"), "edn")).toBe("kv");
  });

  it("keeps the register model when a fault's etcd puts sit beside a register workload's operations", () => {
    expect(guessModel(entries("read", "write", "put", "cas"), "jsonl")).toBe("register");
  });
});
