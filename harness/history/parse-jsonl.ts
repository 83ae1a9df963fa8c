// Reads history.jsonl, the harness's own history format: one HistoryEntry object per line.
import type { EntryType, HistoryEntry } from "./entry.ts";
import { HistoryFormatError, parseLines, type ParsedHistory } from "./format-error.ts";

export const jsonlShape =
  'a JSON object like {"index":0,"time":0,"process":1,"type":"invoke","f":"read","key":"k1","value":null}';

const types = new Set<string>(["invoke", "ok", "fail", "info"]);

export function parseJsonl(text: string): ParsedHistory {
  return parseLines(text, (line, lineNumber, position) => {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      throw new HistoryFormatError(lineNumber, `expected ${jsonlShape}; not JSON (${(error as Error).message})`);
    }
    return entryOf(raw, position, lineNumber);
  });
}

function entryOf(raw: unknown, position: number, line: number): HistoryEntry {
  const bad = (what: string) => new HistoryFormatError(line, `expected ${jsonlShape}; ${what}`);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw bad("got something else than an object");
  const o = raw as Record<string, unknown>;
  if (typeof o.type !== "string" || !types.has(o.type)) throw bad(`"type" must be invoke, ok, fail or info, got ${JSON.stringify(o.type)}`);
  if (!(typeof o.process === "number" && Number.isInteger(o.process)) && o.process !== "nemesis") {
    throw bad(`"process" must be an integer or "nemesis", got ${JSON.stringify(o.process)}`);
  }
  if (typeof o.f !== "string" || o.f === "") throw bad(`"f" must be a non-empty string, got ${JSON.stringify(o.f)}`);
  if (typeof o.time !== "number" || !Number.isFinite(o.time)) throw bad(`"time" must be a number (nanoseconds), got ${JSON.stringify(o.time)}`);
  if (o.index !== undefined && !(typeof o.index === "number" && Number.isInteger(o.index))) throw bad(`"index" must be an integer`);
  if (o.key !== undefined && typeof o.key !== "string") throw bad(`"key" must be a string, got ${JSON.stringify(o.key)}`);
  if (o.revision !== undefined && typeof o.revision !== "number") throw bad(`"revision" must be a number`);
  const entry: HistoryEntry = {
    index: (o.index as number | undefined) ?? position,
    time: o.time,
    process: o.process as number | "nemesis",
    type: o.type as EntryType,
    f: o.f,
  };
  if (o.key !== undefined) entry.key = o.key as string;
  if (o.value !== undefined) entry.value = o.value;
  if (typeof o.node === "string") entry.node = o.node;
  if (typeof o.error === "string") entry.error = o.error;
  if (o.revision !== undefined) entry.revision = o.revision as number;
  return entry;
}
