// Reading histories in each format, and the file:line messages for malformed ones.
import { describe, expect, it } from "vitest";
import { HistoryFormatError } from "../../../record/history/format-error.ts";
import { detectFormat, parseHistory } from "../../../record/history/history-file.ts";

function lineOfError(text: string, format: "auto" | "jsonl" | "edn" | "jepsen-log" = "auto"): number {
  try {
    parseHistory(text, format);
  } catch (error) {
    if (error instanceof HistoryFormatError) return error.line;
    throw error;
  }
  throw new Error("parsed without error");
}

describe("history files", () => {
  it("detects each format from its first line", () => {
    expect(detectFormat('\n{"index":0,"time":1}')).toBe("jsonl");
    expect(detectFormat("{:process 0, :type :invoke}")).toBe("edn");
    expect(detectFormat("INFO  jepsen.util - 2\t:invoke\t:write\t4")).toBe("jepsen-log");
    expect(detectFormat("")).toBe("jsonl");
    expect(() => detectFormat("hello")).toThrow(HistoryFormatError);
  });

  it("reads Jepsen log lines, turning a failed cas into a compare that did not match", () => {
    const { entries, format } = parseHistory(
      [
        "INFO  jepsen.util - 2\t:invoke\t:cas\t[3 0]",
        "INFO  jepsen.util - 2  :fail   :cas    [3 0]",
        "INFO  jepsen.core - Running test",
        "INFO  jepsen.util - 3\t:invoke\t:read\tnil",
        "INFO  jepsen.util - 3\t:fail\t:read\t:timed-out",
        "INFO  jepsen.util - 4\t:invoke\t:write\t1",
        "INFO  jepsen.util - 4\t:info\t:write\t:timed-out",
      ].join("\n"),
    );
    expect(format).toBe("jepsen-log");
    expect(entries.map((e) => [e.process, e.type, e.f, e.value, e.error])).toEqual([
      [2, "invoke", "cas", [3, 0], undefined],
      [2, "ok", "cas", false, undefined],
      [3, "invoke", "read", null, undefined],
      [3, "fail", "read", undefined, "timed-out"],
      [4, "invoke", "write", 1, undefined],
      [4, "info", "write", undefined, "timed-out"],
    ]);
  });

  it("reads EDN map lines", () => {
    const { entries } = parseHistory('{:process 0, :type :invoke, :f :get, :key "9", :value nil}\n{:process 0, :type :ok, :f :get, :key "9", :value "x 1 y"}');
    expect(entries[1]).toMatchObject({ process: 0, type: "ok", f: "get", key: "9", value: "x 1 y", index: 1 });
  });

  it("names the line of a malformed entry", () => {
    const ok = '{"index":0,"time":1,"process":1,"type":"invoke","f":"read","value":null}';
    expect(lineOfError(`${ok}\n\n{"index":1,"time":2,"process":1,"type":"done","f":"read"}`)).toBe(3);
    expect(lineOfError(`${ok}\nnot json`)).toBe(2);
    expect(lineOfError(`${ok}\n{"time":2,"process":"p1","type":"ok","f":"read"}`)).toBe(2);
    expect(lineOfError('{:process 0, :type :invoke, :f :get}\n{:process 0, :type :ok, :f :get, :value "x}')).toBe(2);
    expect(lineOfError("INFO  jepsen.util - 2\t:invoke\t:cas\t[3 0]\nINFO  jepsen.util - 2\t:ok\t:cas\t[3 0")).toBe(2);
    expect(lineOfError("INFO  jepsen.util - 2\t:invoke\t:read\tnil\ngarbage", "jepsen-log")).toBe(2);
  });
});
