// Reads history.jsonl, the harness's own history format: one HistoryEntry object per line, validated by its schema.
import { historyEntrySchema, type HistoryEntry } from "./entry.ts";
import { HistoryFormatError, parseLines, type ParsedHistory } from "./format-error.ts";

export const jsonlShape =
  'a JSON object like {"index":0,"time":0,"process":1,"type":"invoke","f":"read","key":"k1","value":null}';

const lineSchema = historyEntrySchema.extend({ index: historyEntrySchema.shape.index.optional() });

export function parseJsonl(text: string): ParsedHistory {
  const cut = cutOffLine(text);
  const parsed = parseLines(cut ? text.slice(0, cut.offset) : text, (line, lineNumber, position) => {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      throw new HistoryFormatError(lineNumber, `expected ${jsonlShape}; not JSON (${(error as Error).message})`);
    }
    return entryOf(raw, position, lineNumber);
  });
  if (!cut) return parsed;
  const read = parsed.entries.length;
  return { ...parsed, cutOff: { line: cut.line, message: `the last line (${cut.line}) was cut off, as by a run that died while writing it; read the ${read} entries before it` } };
}

/**
 * The recorder ends every entry with a newline, so a last line without one that is not whole JSON was
 * cut off mid-write. Only that line is forgiven: a broken line anywhere else is an error.
 */
function cutOffLine(text: string): { offset: number; line: number } | undefined {
  if (text.length === 0 || text.endsWith("\n")) return undefined;
  const offset = text.lastIndexOf("\n") + 1;
  const last = text.slice(offset);
  if (!last.trimStart().startsWith("{")) return undefined;
  try {
    JSON.parse(last);
    return undefined;
  } catch {
    return { offset, line: text.slice(0, offset).split("\n").length };
  }
}

function entryOf(raw: unknown, position: number, line: number): HistoryEntry {
  const parsed = lineSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length > 0 ? `"${issue.path.join(".")}": ` : "";
    throw new HistoryFormatError(line, `expected ${jsonlShape}; ${field}${issue.message}`);
  }
  return { ...parsed.data, index: parsed.data.index ?? position };
}
