// One card per checker: its verdict, its summary and its evidence; a linearizability counterexample drawn out in full.
import type { CheckResult } from "../../checkers/checker.ts";
import type { Counterexample, OperationView } from "../../checkers/linearizability/result.ts";
import { counterexamplesOf } from "../counterexamples.ts";
import { evidenceHtml, type OperationLinks } from "./evidence-html.ts";
import { escapeHtml, operationLink, secondsText } from "./markup.ts";

export interface CardLinks extends OperationLinks {
  /** Member an operation was sent to, by its invocation's history index. */
  nodeOfInvoke(invokeIndex: number): string | undefined;
}

const prefixShown = 12;
const concurrentShown = 50;
const hiddenKeys = new Set(["verdict", "summary", "checker"]);

export function checkerCards(checkers: Record<string, CheckResult>, links: CardLinks): string {
  const cards = Object.entries(checkers).map(([name, result]) => checkerCard(name, result, links));
  return cards.length > 0 ? `<div class="cards">${cards.join("")}</div>` : `<p class="muted">No checker ran.</p>`;
}

function checkerCard(name: string, result: CheckResult, links: CardLinks): string {
  const counterexamples = counterexamplesOf(result);
  const rest = Object.fromEntries(
    Object.entries(result).filter(([key]) => !hiddenKeys.has(key) && !(key === "partitions" && Array.isArray(result["partitions"]))),
  );
  const partitions = Array.isArray(result["partitions"]) ? partitionTable(result["partitions"] as PartitionRow[]) : "";
  return (
    `<article class="card verdict-${escapeHtml(result.verdict)}" id="checker-${escapeHtml(name)}" data-checker="${escapeHtml(name)}">` +
    `<header><h3>${escapeHtml(name)}</h3><span class="badge ${escapeHtml(result.verdict)}">${escapeHtml(result.verdict)}</span></header>` +
    `<p class="summary">${escapeHtml(result.summary)}</p>` +
    counterexamples.map(({ label, counterexample }) => counterexampleHtml(label, counterexample, links)).join("") +
    partitions +
    `<details class="more"${result.verdict === "valid" ? "" : " open"}><summary>evidence</summary>${evidenceHtml(rest, links)}</details>` +
    `</article>`
  );
}

function counterexampleHtml(label: string, counterexample: Counterexample, links: CardLinks): string {
  const { blocked, stateBefore, concurrent, prefix } = counterexample;
  const node = links.nodeOfInvoke(blocked.invokeIndex);
  const returned = blocked.ret === null ? "no return (outcome unknown)" : `returned ${secondsText(blocked.ret)}`;
  const shownPrefix = prefix.slice(-prefixShown);
  return (
    `<section class="counterexample" data-testid="counterexample">` +
    `<h4>Counterexample${label ? ` on key ${escapeHtml(label)}` : ""}</h4>` +
    `<p><span class="label">Cannot be placed</span> <code class="op-desc">${escapeHtml(blocked.description)}</code> by process ${escapeHtml(blocked.process)}` +
    `${node ? ` on ${escapeHtml(node)}` : ""}, invoked ${secondsText(blocked.call)}, ${returned} ` +
    `${operationLink(links.operationOfInvoke(blocked.invokeIndex))}</p>` +
    `<p><span class="label">State before</span> <code>${escapeHtml(stateBefore)}</code> ` +
    `<span class="muted">after the ${prefix.length} operations that could be linearized</span></p>` +
    `<h5>Concurrent operations (${concurrent.length}): any of them could have been ordered around it</h5>` +
    operationTable(concurrent.slice(0, concurrentShown), links) +
    (concurrent.length > concurrentShown ? `<p class="muted">and ${concurrent.length - concurrentShown} more in results.json</p>` : "") +
    `<details><summary>Linearized prefix: the last ${shownPrefix.length} of ${prefix.length}</summary>${operationTable(shownPrefix, links)}</details>` +
    `</section>`
  );
}

function operationTable(views: OperationView[], links: CardLinks): string {
  if (views.length === 0) return `<p class="muted">none</p>`;
  const rows = views.map(
    (view) =>
      `<tr><td>${escapeHtml(view.process)}</td><td>${escapeHtml(links.nodeOfInvoke(view.invokeIndex) ?? "")}</td>` +
      `<td><code>${escapeHtml(view.description)}</code></td><td>${escapeHtml(view.outcome)}</td>` +
      `<td>${secondsText(view.call)}</td><td>${view.ret === null ? "—" : secondsText(view.ret)}</td>` +
      `<td>${operationLink(links.operationOfInvoke(view.invokeIndex), "timeline")}</td></tr>`,
  );
  return `<div class="table-wrap"><table><tr><th>process</th><th>member</th><th>operation</th><th>outcome</th><th>invoked</th><th>returned</th><th></th></tr>${rows.join("")}</table></div>`;
}

interface PartitionRow {
  label?: string;
  operations?: number;
  verdict?: string;
  configurations?: number;
  elapsedMs?: number;
  reason?: { message?: string };
}

function partitionTable(partitions: PartitionRow[]): string {
  if (partitions.length === 0) return "";
  const order = (verdict: string | undefined): number => (verdict === "invalid" ? 0 : verdict === "unknown" ? 1 : 2);
  const sorted = [...partitions].sort((a, b) => order(a.verdict) - order(b.verdict));
  const rows = sorted.slice(0, 20).map(
    (partition) =>
      `<tr><td>${escapeHtml(partition.label || "—")}</td><td><span class="badge ${escapeHtml(partition.verdict ?? "unknown")}">${escapeHtml(partition.verdict ?? "?")}</span></td>` +
      `<td>${partition.operations ?? ""}</td><td>${partition.configurations ?? ""}</td><td>${partition.elapsedMs === undefined ? "" : Math.round(partition.elapsedMs)}</td>` +
      `<td>${escapeHtml(partition.reason?.message ?? "")}</td></tr>`,
  );
  const more = partitions.length > 20 ? `<p class="muted">and ${partitions.length - 20} more partitions in results.json</p>` : "";
  return (
    `<details class="partitions"><summary>Partitions checked independently (${partitions.length})</summary>` +
    `<div class="table-wrap"><table><tr><th>keys</th><th>verdict</th><th>operations</th><th>configurations</th><th>ms</th><th>note</th></tr>${rows.join("")}</table></div>${more}</details>`
  );
}
