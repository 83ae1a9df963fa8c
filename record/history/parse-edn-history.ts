// Reads Jepsen EDN histories, one operation map per line: `{:process 0, :type :invoke, :f :get, :key "1", :value nil}`.
//
// Keywords become strings; `:time` and `:index` are used when present, else the line order. As in Knossos,
// `:fail` means the operation did not take effect.
import type { EntryType, HistoryEntry } from "./entry.ts";
import { ednToPlain, Keyword, readEdn } from "./edn.ts";
import { HistoryFormatError, parseLines, type ParsedHistory } from "./format-error.ts";

export const ednShape = "an EDN map like {:process 0, :type :invoke, :f :append, :key \"0\", :value \"x\"}";

const types = new Set(["invoke", "ok", "fail", "info"]);

export function parseEdnHistory(text: string): ParsedHistory {
  return parseLines(text, (line, lineNumber, position) => {
    const trimmed = line.trim();
    if (trimmed.startsWith(";")) return undefined;
    const bad = (what: string) => new HistoryFormatError(lineNumber, `expected ${ednShape}; ${what}`);
    let raw: unknown;
    try {
      raw = readEdn(trimmed);
    } catch (error) {
      throw bad(`not EDN (${(error as Error).message})`);
    }
    if (!(raw instanceof Map)) throw bad("got something else than a map");
    const type = raw.get(":type");
    const f = raw.get(":f");
    const process = raw.get(":process");
    if (!(type instanceof Keyword) || !types.has(type.name)) throw bad(":type must be :invoke, :ok, :fail or :info");
    if (!(f instanceof Keyword) && typeof f !== "string") throw bad(":f must be a keyword");
    const processId =
      typeof process === "number" && Number.isInteger(process) ? process : process instanceof Keyword && process.name === "nemesis" ? "nemesis" : undefined;
    if (processId === undefined) throw bad(":process must be an integer or :nemesis");
    const time = raw.get(":time");
    const index = raw.get(":index");
    const entry: HistoryEntry = {
      index: typeof index === "number" ? index : position,
      time: typeof time === "number" ? time : position,
      process: processId,
      type: type.name as EntryType,
      f: f instanceof Keyword ? f.name : f,
    };
    const key = raw.get(":key");
    if (key !== undefined && key !== null) entry.key = typeof key === "string" ? key : String(ednToPlain(key));
    if (raw.has(":value")) entry.value = ednToPlain(raw.get(":value"));
    const error = raw.get(":error");
    if (error !== undefined && error !== null) entry.error = String(ednToPlain(error));
    return entry;
  });
}
