// Which operations only read, for the checkers that judge reads and writes differently.
import { describe, expect, it } from "vitest";
import { isReadOnly } from "../../../checkers/op-kinds.ts";
import type { HistoryEntry } from "../../../record/history/entry.ts";

const op = (f: string, value?: unknown) => ({ f, invoke: { index: 0, time: 0, process: 0, type: "invoke", f, value } as HistoryEntry });

describe("isReadOnly", () => {
  it("knows reads, gets and watches", () => {
    for (const f of ["read", "get", "watch"]) expect(isReadOnly(op(f))).toBe(true);
    for (const f of ["write", "cas", "put", "delete", "acquire", "release"]) expect(isReadOnly(op(f))).toBe(false);
  });

  it("treats a txn as read-only only when both branches only get", () => {
    expect(isReadOnly(op("txn", { compare: [], success: [{ f: "get", key: "a" }], failure: [] }))).toBe(true);
    expect(isReadOnly(op("txn", { compare: [], success: [{ f: "get", key: "a" }, { f: "put", key: "a", value: "1" }], failure: [] }))).toBe(false);
    expect(isReadOnly(op("txn", { compare: [{}], success: [{ f: "put", key: "a", value: "1" }], failure: [{ f: "get", key: "a" }] }))).toBe(false);
  });
});
