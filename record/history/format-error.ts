// A history file line that does not have the expected shape: the message names the line and the shape.
import type { HistoryEntry } from "./entry.ts";

export class HistoryFormatError extends Error {
  /** Line number, from 1. */
  readonly line: number;

  constructor(line: number, message: string) {
    super(message);
    this.name = "HistoryFormatError";
    this.line = line;
  }
}

/** A parsed history: entries, and the line each entry came from (for messages that name file:line). */
export interface ParsedHistory {
  entries: HistoryEntry[];
  lines: Int32Array;
  /** Set when the last line was cut off mid-write and left out (history.jsonl only). */
  cutOff?: { line: number; message: string };
}

/** Parses each non-blank line into an entry; `parse` throws HistoryFormatError for a bad line. */
export function parseLines(text: string, parse: (line: string, lineNumber: number, position: number) => HistoryEntry | undefined): ParsedHistory {
  const entries: HistoryEntry[] = [];
  const lines: number[] = [];
  let lineNumber = 0;
  for (const line of text.split("\n")) {
    lineNumber++;
    if (line.trim() === "") continue;
    const entry = parse(line, lineNumber, entries.length);
    if (entry === undefined) continue;
    entries.push(entry);
    lines.push(lineNumber);
  }
  return { entries, lines: Int32Array.from(lines) };
}
