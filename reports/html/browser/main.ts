// In the page: wires the timeline, the overview brush and the charts to one window, and the jump and copy controls.
/// <reference lib="dom" />
import type UPlot from "uplot";
import type { PageData } from "../page-data.ts";
import { createCharts, type ChartSet } from "./charts.ts";
import { decodeOperations, describeOperation, type OperationModel } from "./decode.ts";
import { OverviewBrush } from "./overview.ts";
import { TimelineView, type DrawnFrame } from "./timeline.ts";

/** What the page exposes as window.harnessReport, for tests and the render benchmark. */
export interface ReportHandle {
  /** performance.now() when the first frame with everything drawn was on screen. */
  firstRenderMs: number | null;
  scriptMs: number;
  frame(): DrawnFrame | null;
  window(): [number, number];
  selected(): number;
  jumpToFirstAnomaly(): boolean;
  focusOperation(op: number): void;
  setWindow(from: number, to: number): void;
  resetWindow(): void;
}

export function reportMain(data: PageData, uPlot: typeof UPlot | undefined): ReportHandle {
  const began = performance.now();
  const model = decodeOperations(data);
  const details = document.getElementById("op-details")!;
  let charts: ChartSet | null = null;
  let overview: OverviewBrush | null = null;
  const timeline = new TimelineView(document.getElementById("timeline-box")!, model, {
    onWindow(from, to) {
      overview?.setWindow(from, to);
      charts?.setWindow(from, to);
      showWindow(from, to);
    },
    onSelect(op) {
      showDetails(model, details, op);
    },
  });
  const setWindow = (from: number, to: number): void => timeline.setWindow(from, to, true);
  overview = new OverviewBrush(document.getElementById("overview") as HTMLCanvasElement, model, setWindow);
  const throughputHost = document.getElementById("throughput-chart");
  const latencyHost = document.getElementById("latency-chart");
  if (data.count === 0) {
    if (throughputHost) throughputHost.textContent = "No operations were recorded.";
  } else if (uPlot && throughputHost && latencyHost) {
    charts = createCharts(uPlot, model, { throughput: throughputHost, latency: latencyHost }, setWindow);
  } else if (throughputHost) {
    throughputHost.textContent = "The charts need the uPlot script, which this page is missing.";
  }

  const jump = document.getElementById("jump-anomaly") as HTMLButtonElement | null;
  const first = data.anomalies[0];
  const jumpToFirstAnomaly = (): boolean => {
    if (!first) return false;
    if (first.op >= 0) timeline.focusOperation(first.op, first.related);
    else {
      const at = first.time / 1e6;
      timeline.setWindow(at - 2, at + 1, true);
    }
    document.getElementById("timeline")!.scrollIntoView({ block: "start" });
    return true;
  };
  if (jump) {
    jump.disabled = !first;
    jump.addEventListener("click", () => jumpToFirstAnomaly());
  }
  document.getElementById("zoom-in")?.addEventListener("click", () => timeline.zoom(0.5));
  document.getElementById("zoom-out")?.addEventListener("click", () => timeline.zoom(2));
  const pack = document.getElementById("pack-rows") as HTMLInputElement | null;
  if (pack) {
    pack.checked = timeline.layout.packed;
    pack.addEventListener("change", () => timeline.setPacked(pack.checked));
  }
  const resetWindow = (): void => timeline.setWindow(model.from, model.to, true);
  document.getElementById("zoom-reset")?.addEventListener("click", resetWindow);

  document.addEventListener("click", (event) => {
    const target = event.target as Element | null;
    const link = target?.closest<HTMLAnchorElement>("a.op-link");
    if (link) {
      event.preventDefault();
      const op = Number(link.dataset["op"]);
      const anomaly = data.anomalies.find((candidate) => candidate.op === op);
      timeline.focusOperation(op, anomaly?.related ?? []);
      document.getElementById("timeline")!.scrollIntoView({ block: "start" });
      return;
    }
    const copy = target?.closest<HTMLButtonElement>("button.copy");
    if (copy) copyText(copy);
  });
  window.addEventListener("resize", () => {
    timeline.resize();
    overview?.resize();
    charts?.resize();
  });

  const handle: ReportHandle = {
    firstRenderMs: null,
    scriptMs: 0,
    frame: () => timeline.lastFrame,
    window: () => [timeline.from, timeline.to],
    selected: () => timeline.selected,
    jumpToFirstAnomaly,
    focusOperation: (op) => timeline.focusOperation(op),
    setWindow,
    resetWindow,
  };
  showWindow(timeline.from, timeline.to);
  if (location.hash === "#first-anomaly") jumpToFirstAnomaly();
  handle.scriptMs = performance.now() - began;
  // Two frames: the second callback runs once the first frame holding everything has been painted.
  requestAnimationFrame(() => requestAnimationFrame(() => (handle.firstRenderMs = performance.now())));
  return handle;
}

export function showWindow(from: number, to: number): void {
  const label = document.getElementById("window-label");
  if (label) label.textContent = `showing ${from.toFixed(3)} s – ${to.toFixed(3)} s`;
}

export function showDetails(model: OperationModel, box: HTMLElement, op: number): void {
  box.replaceChildren();
  if (op < 0) {
    box.textContent = "Click an operation to pin its details here.";
    return;
  }
  const text = describeOperation(model, op);
  const title = document.createElement("strong");
  title.textContent = text.title;
  title.className = `outcome-${text.outcome}`;
  box.append(title);
  box.dataset["op"] = String(op);
  for (const line of text.lines) {
    const row = document.createElement("div");
    row.textContent = line;
    box.append(row);
  }
}

export function copyText(button: HTMLButtonElement): void {
  const text = button.dataset["copy"] ?? "";
  const done = (): void => {
    button.textContent = "copied";
    setTimeout(() => (button.textContent = "copy"), 1500);
  };
  if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, () => selectBeside(button));
  else selectBeside(button);
}

/** Where the clipboard is not allowed (a file:// page in some browsers), select the command instead. */
export function selectBeside(button: HTMLButtonElement): void {
  const code = button.previousElementSibling;
  if (!code) return;
  const range = document.createRange();
  range.selectNodeContents(code);
  const selection = getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
}
