// Reads a history file in any supported format: history.jsonl, Jepsen EDN map lines, or Jepsen log lines.
import { readFile } from "node:fs/promises";
import { HistoryFormatError, type ParsedHistory } from "./format-error.ts";
import { ednShape, parseEdnHistory } from "./parse-edn-history.ts";
import { jepsenLogShape, parseJepsenLog } from "./parse-jepsen-log.ts";
import { jsonlShape, parseJsonl } from "./parse-jsonl.ts";

export const historyFormats = ["jsonl", "edn", "jepsen-log"] as const;
export type HistoryFormat = (typeof historyFormats)[number];

export interface HistoryFile extends ParsedHistory {
  format: HistoryFormat;
}

/** The format of a history's text, from its first non-blank line; an empty history reads as jsonl. */
export function detectFormat(text: string): HistoryFormat {
  const first = /^[ \t]*(\S[^\n]*)/m.exec(text)?.[1];
  if (first === undefined) return "jsonl";
  if (/^\{\s*"/.test(first)) return "jsonl";
  if (/^\{\s*:/.test(first)) return "edn";
  if (/jepsen\.util\s+-\s/.test(first) || /^\d+\s+:(invoke|ok|fail|info)\s/.test(first)) return "jepsen-log";
  throw new HistoryFormatError(
    text.slice(0, text.indexOf(first)).split("\n").length,
    `cannot tell the format: expected ${jsonlShape}, or ${ednShape}, or ${jepsenLogShape}`,
  );
}

export function parseHistory(text: string, format: HistoryFormat | "auto" = "auto"): HistoryFile {
  const chosen = format === "auto" ? detectFormat(text) : format;
  const parse = chosen === "jsonl" ? parseJsonl : chosen === "edn" ? parseEdnHistory : parseJepsenLog;
  return { ...parse(text), format: chosen };
}

export async function readHistoryFile(path: string, format: HistoryFormat | "auto" = "auto"): Promise<HistoryFile> {
  return parseHistory(await readFile(path, "utf8"), format);
}
