// Reads a history.jsonl back: one JSON object per line, each with the fields of a HistoryEntry.
import fs from "node:fs";
import { usageError } from "../errors.ts";
import type { HistoryEntry } from "./entry.ts";

const types = new Set(["invoke", "ok", "fail", "info"]);

export function readHistoryFile(file: string): HistoryEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw usageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return parseHistory(text, file);
}

export function parseHistory(text: string, file = "history"): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  const lines = text.split("\n");
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    const where = `${file}:${index + 1}`;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      // A crash can cut the last line short; everything before it still counts.
      if (index >= lines.length - 2) return;
      throw usageError(`${where}: not JSON; expected one object per line like {"index":0,"time":0,"process":1,"type":"invoke","f":"write"}`);
    }
    const candidate = entry as Partial<HistoryEntry>;
    const ok =
      typeof candidate === "object" &&
      candidate !== null &&
      typeof candidate.time === "number" &&
      (typeof candidate.process === "number" || candidate.process === "nemesis") &&
      types.has(candidate.type as string) &&
      typeof candidate.f === "string";
    if (!ok) throw usageError(`${where}: expected an object with time (number), process (number or "nemesis"), type (invoke|ok|fail|info) and f (string)`);
    entries.push({ ...(candidate as HistoryEntry), index: candidate.index ?? entries.length });
  });
  return entries;
}
