// Links to the files of the report folder (results, history, samples, node logs), with their sizes.
import fs from "node:fs";
import path from "node:path";
import { bytesText, escapeHtml } from "./markup.ts";

export interface ReportFile {
  /** Relative to the report folder, with forward slashes. */
  path: string;
  bytes: number;
  note: string;
}

const notes: Record<string, string> = {
  "results.json": "verdict, every checker's evidence, faults, schedule, settings, seed",
  "history.jsonl": "every operation and fault event, one JSON object per line",
  "status.jsonl": "every member's leader, term, raft index and revision, every 200 ms",
  "junit.xml": "one testcase per checker, for CI",
  "summary.md": "the verdict in Markdown, for a CI step summary",
};

/** The files a run left in `runDir` (the report files being written now included), node logs last. */
export function listReportFiles(runDir: string, written: string[]): ReportFile[] {
  const size = (relative: string): number | undefined => {
    try {
      return fs.statSync(path.join(runDir, relative)).size;
    } catch {
      return undefined;
    }
  };
  const files: ReportFile[] = [];
  for (const name of ["results.json", "history.jsonl", "status.jsonl", "junit.xml", "summary.md"]) {
    const bytes = size(name);
    if (bytes !== undefined || written.includes(name)) files.push({ path: name, bytes: bytes ?? 0, note: notes[name] ?? "" });
  }
  let logs: string[] = [];
  try {
    logs = fs.readdirSync(path.join(runDir, "nodes")).filter((name) => name.endsWith(".log"));
  } catch {
    // No node logs: a run that stopped before its cluster started.
  }
  logs.sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  for (const name of logs) {
    const relative = `nodes/${name}`;
    files.push({ path: relative, bytes: size(relative) ?? 0, note: name.endsWith("-proxy.log") ? "the member's pod: toxiproxy" : "etcd" });
  }
  return files;
}

export function filesHtml(files: ReportFile[]): string {
  if (files.length === 0) return `<p class="muted">No files.</p>`;
  const items = files.map(
    (file) =>
      `<li><a href="${escapeHtml(encodeURI(file.path))}" data-file="${escapeHtml(file.path)}">${escapeHtml(file.path)}</a> ` +
      `<span class="muted">${file.bytes > 0 ? bytesText(file.bytes) : ""} ${escapeHtml(file.note)}</span></li>`,
  );
  return `<ul class="files">${items.join("")}</ul>`;
}
