// One card per checker: its verdict, its summary, each anomaly with the operations it names, and its evidence.
import type { Anomaly, CheckResult } from "../../record/check-result.ts";
import { operationText, type NamedOperation } from "../operations.ts";
import { evidenceHtml, type OperationLinks } from "./evidence-html.ts";
import { escapeHtml, operationLink, secondsText } from "./markup.ts";

export interface CardLinks extends OperationLinks {
  /** The operation whose invocation is at this history index. */
  operation(invokeIndex: number): NamedOperation | undefined;
}

const anomaliesShown = 20;
const contextShown = 50;
const hiddenKeys = new Set(["verdict", "summary", "anomalies", "checker"]);

export function checkerCards(checkers: Record<string, CheckResult>, links: CardLinks): string {
  const cards = Object.entries(checkers).map(([name, result]) => checkerCard(name, result, links));
  return cards.length > 0 ? `<div class="cards">${cards.join("")}</div>` : `<p class="muted">No checker ran.</p>`;
}

function checkerCard(name: string, result: CheckResult, links: CardLinks): string {
  const evidence = Object.fromEntries(Object.entries(result).filter(([key]) => !hiddenKeys.has(key)));
  const shown = result.anomalies.slice(0, anomaliesShown);
  const more = result.anomalies.length - shown.length;
  return (
    `<article class="card verdict-${escapeHtml(result.verdict)}" id="checker-${escapeHtml(name)}" data-checker="${escapeHtml(name)}">` +
    `<header><h3>${escapeHtml(name)}</h3><span class="badge ${escapeHtml(result.verdict)}">${escapeHtml(result.verdict)}</span></header>` +
    `<p class="summary">${escapeHtml(result.summary)}</p>` +
    shown.map((anomaly) => anomalyHtml(anomaly, links)).join("") +
    (more > 0 ? `<p class="muted">and ${more} more anomalies in results.json</p>` : "") +
    `<details class="more"${result.verdict === "valid" || shown.length > 0 ? "" : " open"}><summary>evidence</summary>${evidenceHtml(evidence, links)}</details>` +
    `</article>`
  );
}

function anomalyHtml(anomaly: Anomaly, links: CardLinks): string {
  const span = anomaly.from !== undefined ? `${secondsText(anomaly.from)}${anomaly.to !== undefined ? ` – ${secondsText(anomaly.to)}` : ""}` : "";
  const facts = [
    anomaly.members.length > 0 ? `<span class="label">members</span> ${escapeHtml(anomaly.members.join(", "))}` : "",
    span ? `<span class="label">when</span> ${span}` : "",
    anomaly.state !== undefined ? `<span class="label">state before</span> <code>${escapeHtml(anomaly.state)}</code>` : "",
  ].filter(Boolean);
  return (
    `<section class="anomaly" data-testid="anomaly" data-kind="${escapeHtml(anomaly.kind)}">` +
    `<h4>${escapeHtml(anomaly.kind)}</h4>` +
    `<p>${escapeHtml(anomaly.explanation)}</p>` +
    (facts.length > 0 ? `<p>${facts.join(" · ")}</p>` : "") +
    (anomaly.ops.length > 0 ? operationTable(anomaly.ops, links) : "") +
    (anomaly.context ?? [])
      .map(
        (group) =>
          `<details${group.ops.length <= 12 ? " open" : ""}><summary>${escapeHtml(group.label)} (${group.ops.length})</summary>${operationTable(group.ops.slice(0, contextShown), links)}` +
          `${group.ops.length > contextShown ? `<p class="muted">and ${group.ops.length - contextShown} more in results.json</p>` : ""}</details>`,
      )
      .join("") +
    `</section>`
  );
}

function operationTable(indexes: number[], links: CardLinks): string {
  if (indexes.length === 0) return `<p class="muted">none</p>`;
  const rows = indexes.map((index) => {
    const op = links.operation(index);
    if (!op) return `<tr><td colspan="7" class="muted">history line ${index + 1} (not a client operation)</td></tr>`;
    const outcome = op.complete ? (op.complete.type === "info" ? "unknown" : op.complete.type) : "no answer";
    return (
      `<tr><td>${escapeHtml(op.invoke.process)}</td><td>${escapeHtml(op.invoke.node ?? "")}</td>` +
      `<td><code class="op-desc">${escapeHtml(operationText(op))}</code></td><td>${escapeHtml(outcome)}</td>` +
      `<td>${secondsText(op.invoke.time)}</td><td>${op.complete ? secondsText(op.complete.time) : "—"}</td>` +
      `<td>${operationLink(links.operationOfInvoke(index), "timeline")}</td></tr>`
    );
  });
  return `<div class="table-wrap"><table><tr><th>process</th><th>member</th><th>operation</th><th>outcome</th><th>invoked</th><th>returned</th><th></th></tr>${rows.join("")}</table></div>`;
}
