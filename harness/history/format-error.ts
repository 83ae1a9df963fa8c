// A history file line that does not have the expected shape: the message names the line and the shape.
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
  entries: import("./entry.ts").HistoryEntry[];
  lines: Int32Array;
}
