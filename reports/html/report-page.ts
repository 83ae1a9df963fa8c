// index.html: one self-contained page (styles, data and scripts inlined; the network is never asked for anything).
import type { RunResults } from "../../record/results.ts";
import { checkerCards } from "./checker-cards.ts";
import { clientScript, uplotAssets } from "./client-script.ts";
import { faultsHtml } from "./faults-html.ts";
import { filesHtml, type ReportFile } from "./files-html.ts";
import { headerHtml } from "./header-html.ts";
import { escapeHtml } from "./markup.ts";
import { scriptJson, type PreparedPage } from "./page-data.ts";
import { pageStyle } from "./page-style.ts";

/** Nothing may be fetched: scripts and styles are inline, images are data: URLs, links only navigate. */
const contentPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

export function reportPageHtml(results: RunResults, page: PreparedPage, files: ReportFile[]): string {
  const { data, table, operations } = page;
  const uplot = uplotAssets();
  const links = {
    operationOfInvoke: (index: number) => table.operationOfInvoke.get(index),
    operation: (index: number) => operations.get(index),
  };
  const first = data.anomalies[0];
  return [
    `<!doctype html>`,
    `<html lang="en"><head><meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="${contentPolicy}">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${escapeHtml(`${results.verdict.toUpperCase()} ${results.scenario} (etcd ${results.etcd}, seed ${results.seed})`)}</title>`,
    `<style>${uplot.style}</style><style>${pageStyle}</style>`,
    `</head><body>`,
    headerHtml(results),
    `<nav><a href="#checkers">Checkers</a><a href="#timeline">Timeline</a><a href="#charts">Throughput and latency</a><a href="#faults">Faults</a><a href="#files">Files</a></nav>`,
    `<main>`,
    `<section id="checkers"><h2>Checkers</h2>${checkerCards(results.checkers, links)}</section>`,
    timelineSection(page, first?.title),
    `<section id="charts"><h2>Throughput and latency</h2>`,
    `<p class="muted">Per ${data.series.bucketS === 1 ? "second" : `${data.series.bucketS} s`}, by completion; faults shaded, leader changes dashed, the first anomaly in red. Drag across a chart to show that window on the timeline.</p>`,
    `<div id="throughput-chart" class="chart"></div><div id="latency-chart" class="chart"></div></section>`,
    `<section id="faults"><h2>Faults</h2>${faultsHtml(results)}</section>`,
    `<section id="files"><h2>Files</h2>${filesHtml(files)}</section>`,
    `</main>`,
    `<script type="application/json" id="report-data">${scriptJson(data)}</script>`,
    `<script>${uplot.script}</script>`,
    `<script>${clientScript()}</script>`,
    `</body></html>`,
    ``,
  ].join("\n");
}

function timelineSection(page: PreparedPage, firstAnomaly: string | undefined): string {
  const { data } = page;
  const chips = data.faults.map(
    (band, index) =>
      `<span class="chip" data-fault-band="${index}" title="${escapeHtml(band.evidence ?? "")}">${escapeHtml(band.fault)} ${escapeHtml(band.targets.join(","))} ` +
      `${(band.start / 1e6).toFixed(1)}–${(band.end / 1e6).toFixed(1)} s${band.tookEffect === false ? " · did not take effect" : ""}</span>`,
  );
  const operations = { ok: 0, fail: 0, info: 0 };
  for (const type of data.ops.type) operations[(["ok", "fail", "info"] as const)[type]!]++;
  const anomalyNote = firstAnomaly
    ? `<span class="muted" data-testid="first-anomaly">first anomaly: ${escapeHtml(firstAnomaly)}</span>`
    : `<span class="muted">no anomaly</span>`;
  return (
    `<section id="timeline"><h2>Timeline</h2>` +
    `<div class="timeline-controls">` +
    `<button type="button" id="jump-anomaly" class="primary" data-testid="jump-anomaly"${data.anomalies.length === 0 ? " disabled>No anomaly to jump to" : ">Jump to first anomaly"}</button>` +
    `<button type="button" id="zoom-in">zoom in</button><button type="button" id="zoom-out">zoom out</button><button type="button" id="zoom-reset">whole run</button>` +
    `<label class="muted"><input type="checkbox" id="pack-rows"> pack processes that never overlap into shared rows</label>` +
    `<span id="window-label" class="muted"></span>` +
    `<span class="legend"><span><span class="swatch ok"></span>ok</span><span><span class="swatch fail"></span>fail</span>` +
    `<span><span class="swatch info"></span>info (unknown outcome)</span><span><span class="swatch leader"></span>new leader</span>` +
    `<span><span class="swatch anomaly"></span>anomaly</span></span></div>` +
    `<div class="fault-chips">${chips.join("")}</div>` +
    `<p class="muted">${data.count} operations (${operations.ok} ok, ${operations.fail} fail, ${operations.info} info), one lane per client process, grouped by member (past 64 processes they start packed: a row holds processes that never overlap, such as a client slot's successive processes). ` +
    `Drag to pan, ctrl + wheel or double-click to zoom, shift + wheel to scroll in time; hover an operation for its details, click to pin them. ${anomalyNote}</p>` +
    `<div class="timeline-box" id="timeline-box"><canvas id="timeline-canvas" data-testid="timeline"></canvas>` +
    `<div class="tooltip" hidden></div><div class="anomaly-flag" data-testid="anomaly-marker" hidden>⚠ first anomaly</div></div>` +
    `<div class="overview-box"><canvas id="overview"></canvas></div>` +
    `<div id="op-details" class="op-details">Click an operation to pin its details here.</div>` +
    `<noscript><p>The timeline and charts need JavaScript; everything else on this page does not.</p></noscript>` +
    `</section>`
  );
}
