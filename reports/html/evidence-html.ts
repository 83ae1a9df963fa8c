// Any checker's evidence as readable HTML: scalars as fields, lists of records as tables, operations linked to the timeline.
import { escapeHtml, operationLink } from "./markup.ts";

export interface OperationLinks {
  /** Page operation number of a history invocation index. */
  operationOfInvoke(invokeIndex: number): number | undefined;
}

const maxRows = 20;
const maxColumns = 10;
const maxDepth = 4;

export function evidenceHtml(evidence: Record<string, unknown>, links: OperationLinks): string {
  const fields = Object.entries(evidence).filter(([, value]) => value !== undefined);
  if (fields.length === 0) return "";
  return `<dl class="evidence">${fields.map(([key, value]) => `<dt>${escapeHtml(key)}</dt><dd>${valueHtml(value, links, 1)}</dd>`).join("")}</dl>`;
}

function valueHtml(value: unknown, links: OperationLinks, depth: number): string {
  if (value === null) return `<span class="muted">none</span>`;
  if (typeof value === "number") return escapeHtml(Number.isInteger(value) ? String(value) : value.toFixed(3).replace(/\.?0+$/, ""));
  if (typeof value !== "object") return escapeHtml(String(value));
  if (depth > maxDepth) return `<code>${escapeHtml(clip(JSON.stringify(value), 200))}</code>`;
  if (Array.isArray(value)) {
    if (value.length === 0) return `<span class="muted">none</span>`;
    if (value.every(isRecord)) return tableHtml(value, links, depth);
    const shown = value.slice(0, 30).map((item) => valueHtml(item, links, depth + 1));
    return `${shown.join(", ")}${value.length > shown.length ? ` <span class="muted">and ${value.length - shown.length} more</span>` : ""}`;
  }
  const record = value as Record<string, unknown>;
  const link = typeof record["invokeIndex"] === "number" ? ` ${operationLink(links.operationOfInvoke(record["invokeIndex"]))}` : "";
  const fields = Object.entries(record).filter(([, nested]) => nested !== undefined);
  return `<dl class="nested">${fields.map(([key, nested]) => `<dt>${escapeHtml(key)}</dt><dd>${valueHtml(nested, links, depth + 1)}</dd>`).join("")}</dl>${link}`;
}

function tableHtml(rows: Array<Record<string, unknown>>, links: OperationLinks, depth: number): string {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))].filter((column) => column !== "invokeIndex" && column !== "completeIndex").slice(0, maxColumns);
  const linked = rows.some((row) => typeof row["invokeIndex"] === "number");
  const head = `<tr>${columns.map((column) => `<th>${escapeHtml(column)}</th>`).join("")}${linked ? "<th></th>" : ""}</tr>`;
  const body = rows
    .slice(0, maxRows)
    .map((row) => {
      const cells = columns.map((column) => `<td>${row[column] === undefined ? "" : valueHtml(row[column], links, depth + 1)}</td>`).join("");
      const link = linked ? `<td>${typeof row["invokeIndex"] === "number" ? operationLink(links.operationOfInvoke(row["invokeIndex"]), "timeline") : ""}</td>` : "";
      return `<tr>${cells}${link}</tr>`;
    })
    .join("");
  const more = rows.length > maxRows ? `<p class="muted">and ${rows.length - maxRows} more in results.json</p>` : "";
  return `<div class="table-wrap"><table>${head}${body}</table></div>${more}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
