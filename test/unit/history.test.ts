import { describe, expect, it } from "vitest";
import { parseHistory } from "../../harness/history/read-history.ts";
import { HarnessError } from "../../harness/errors.ts";

describe("parseHistory", () => {
  const line = (index: number): string => JSON.stringify({ index, time: index, process: 1, type: index % 2 ? "ok" : "invoke", f: "read" });

  it("reads one entry per line", () => {
    expect(parseHistory([line(0), line(1), ""].join("\n"))).toHaveLength(2);
  });

  it("keeps everything before a last line a crash cut short", () => {
    expect(parseHistory(`${line(0)}\n${line(1)}\n{"index":2,"ti`)).toHaveLength(2);
  });

  it("names file and line of a malformed entry, as a usage error", () => {
    const bad = `${line(0)}\n{"index":1}\n${line(2)}\n`;
    expect(() => parseHistory(bad, "h.jsonl")).toThrowError(/^h\.jsonl:2: expected an object with time/);
    try {
      parseHistory(`not json\n${line(1)}\n${line(2)}`, "h.jsonl");
    } catch (error) {
      expect(error).toBeInstanceOf(HarnessError);
      expect((error as HarnessError).exitCode).toBe(64);
      expect((error as Error).message).toMatch(/^h\.jsonl:1: not JSON/);
    }
  });
});
