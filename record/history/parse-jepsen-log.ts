// Reads Jepsen's log lines (`INFO  jepsen.util - 2	:invoke	:write	4`), as in the Jepsen etcd histories.
//
// Jepsen's etcd client reports a cas whose compare did not match as `:fail :cas [from to]`: the operation
// happened and changed nothing, so it becomes an `ok` completion with value false (the register model's
// "compare failed"). Every other `:fail` did not take effect. `:info` outcomes are unknown. Times are the
// line order. Lines of other loggers (`INFO  jepsen.core - ...`) are skipped.
import type { EntryType, HistoryEntry } from "./entry.ts";
import { ednToPlain, readEdn } from "./edn.ts";
import { HistoryFormatError, parseLines, type ParsedHistory } from "./format-error.ts";

export const jepsenLogShape = "a Jepsen log line like `INFO  jepsen.util - 2 :invoke :write 4` (process, :type, :f, value)";

const opLine = /^(?:.*?\bjepsen\.util\s+-\s+)?(\d+|:nemesis|nemesis)\s+:(invoke|ok|fail|info)\s+:([^\s]+)(?:\s+(.*?))?\s*$/;
const otherLogger = /^(?:.*\s)?(?:TRACE|DEBUG|INFO|WARN|ERROR)\s+[\w.$-]+\s+-\s/;

export function parseJepsenLog(text: string): ParsedHistory {
  return parseLines(text, (line, lineNumber, position) => {
    const m = opLine.exec(line);
    if (m === null) {
      if (otherLogger.test(line) && !line.includes("jepsen.util")) return undefined;
      throw new HistoryFormatError(lineNumber, `expected ${jepsenLogShape}`);
    }
    const [, proc, type, f, rest] = m as unknown as [string, string, EntryType, string, string | undefined];
    const entry: HistoryEntry = { index: position, time: position, process: /^\d+$/.test(proc) ? Number(proc) : "nemesis", type, f };
    if (rest !== undefined && rest !== "") {
      if ((type === "info" || type === "fail") && rest.startsWith(":")) entry.error = rest.slice(1);
      else {
        try {
          entry.value = ednToPlain(readEdn(rest));
        } catch (error) {
          throw new HistoryFormatError(lineNumber, `expected ${jepsenLogShape}; the value is not EDN (${(error as Error).message})`);
        }
      }
    }
    if (entry.type === "fail" && f === "cas" && entry.error === undefined) {
      entry.type = "ok";
      entry.value = false;
    }
    return entry;
  });
}
