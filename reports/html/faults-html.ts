// The faults of a run as a table: what was hit, when, whether it bit, and whether the cluster recovered.
import type { RunResults } from "../../record/results.ts";
import { clip } from "./evidence-html.ts";
import { escapeHtml, secondsText } from "./markup.ts";

export function faultsHtml(results: Pick<RunResults, "faults" | "schedule">): string {
  if (results.faults.length === 0) {
    const scheduled = results.schedule.length;
    return `<p class="muted">${scheduled === 0 ? "No faults were scheduled." : `${scheduled} faults were scheduled but none was recorded as played.`}</p>`;
  }
  const rows = results.faults.map((fault, index) => {
    const details = Object.entries(fault.details ?? {});
    const params = Object.keys(fault.params ?? {}).length > 0 ? JSON.stringify(fault.params) : "";
    const detailText = [params, ...details.map(([key, value]) => `${key}: ${JSON.stringify(value)}`)].filter(Boolean).join("; ");
    return (
      `<tr data-fault="${index}"><td><strong>${escapeHtml(fault.fault)}</strong></td>` +
      `<td>${escapeHtml(fault.targets.join(", "))} <span class="muted">(${escapeHtml(fault.selector)})</span></td>` +
      `<td>${secondsText(fault.start)} – ${secondsText(fault.end)}<br><span class="muted">in place ${secondsText(fault.effective)}, healing from ${secondsText(fault.healStart)}</span></td>` +
      `<td>${effectCell(fault.tookEffect, fault.evidence)}</td>` +
      `<td>${effectCell(fault.healed, fault.healEvidence)}</td>` +
      `<td class="muted">${escapeHtml(clip(detailText, 300))}</td></tr>`
    );
  });
  return (
    `<div class="table-wrap"><table class="faults"><tr><th>fault</th><th>targets</th><th>window</th><th>took effect</th><th>recovered</th><th>details</th></tr>` +
    `${rows.join("")}</table></div>`
  );
}

function effectCell(flag: boolean | undefined, evidence: string | undefined): string {
  const badge = flag === true ? `<span class="badge valid">yes</span>` : flag === false ? `<span class="badge invalid">no</span>` : `<span class="badge unknown">not judged</span>`;
  return `${badge} ${escapeHtml(evidence ?? "")}`;
}
