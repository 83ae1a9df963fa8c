// In the page: throughput and latency over time (uPlot), shaded by fault, following the timeline's window.
/// <reference lib="dom" />
import type UPlot from "uplot";
import type { OperationModel } from "./decode.ts";
import { faultHue, timelinePalette } from "./timeline.ts";

export interface ChartSet {
  charts: UPlot[];
  setWindow(from: number, to: number): void;
  resize(): void;
}

export function createCharts(
  uPlot: typeof UPlot,
  model: OperationModel,
  hosts: { throughput: HTMLElement; latency: HTMLElement },
  onWindow: (from: number, to: number) => void,
): ChartSet {
  const palette = timelinePalette();
  const series = model.data.series;
  const x = series.time.map((start) => start);
  const shade = (u: UPlot): void => {
    const { ctx, bbox } = u;
    for (const band of model.data.faults) {
      const x0 = u.valToPos(band.start / 1e6, "x", true);
      const x1 = Math.max(x0 + 2, u.valToPos(band.end / 1e6, "x", true));
      const left = Math.max(bbox.left, x0);
      const right = Math.min(bbox.left + bbox.width, x1);
      if (right <= left) continue;
      ctx.fillStyle = `hsla(${faultHue(model, band.fault)}, 85%, 55%, 0.14)`;
      ctx.fillRect(left, bbox.top, right - left, bbox.height);
    }
  };
  const mark = (u: UPlot): void => {
    const { ctx, bbox } = u;
    const line = (t: number, color: string, dash: number[]): void => {
      const at = Math.round(u.valToPos(t, "x", true)) + 0.5;
      if (at < bbox.left || at > bbox.left + bbox.width) return;
      ctx.save();
      ctx.strokeStyle = color;
      ctx.setLineDash(dash);
      ctx.lineWidth = window.devicePixelRatio || 1;
      ctx.beginPath();
      ctx.moveTo(at, bbox.top);
      ctx.lineTo(at, bbox.top + bbox.height);
      ctx.stroke();
      ctx.restore();
    };
    for (const change of model.data.leaders) if (change.leader !== null) line(change.time / 1e6, palette.leader, [4, 3]);
    const first = model.data.anomalies[0];
    if (first) line(first.time / 1e6, palette.anomaly, []);
  };
  const select = (u: UPlot): void => {
    if (u.select.width < 4) return;
    const from = u.posToVal(u.select.left, "x");
    const to = u.posToVal(u.select.left + u.select.width, "x");
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    onWindow(from, to);
  };
  const common = (host: HTMLElement, label: string): Partial<UPlot.Options> => ({
    width: Math.max(320, host.clientWidth),
    height: 190,
    cursor: { sync: { key: "harness-report" }, drag: { x: true, y: false, setScale: false } },
    scales: { x: { time: false, min: model.from, max: model.to } },
    axes: [
      { values: (_u: UPlot, splits: number[]) => splits.map((value) => `${+value.toFixed(3)} s`) },
      { label, size: 56 },
    ],
    hooks: { drawClear: [shade], draw: [mark], setSelect: [select] },
  });
  const stepped = uPlot.paths.stepped!({ align: 1 });
  const throughput = new uPlot(
    {
      ...common(hosts.throughput, "operations / s"),
      series: [
        { label: "time (s)" },
        { label: "ok/s", stroke: palette.ok, fill: "rgba(63, 159, 95, 0.12)", paths: stepped, width: 1.5 },
        { label: "fail/s", stroke: palette.fail, paths: stepped, width: 1.5 },
        { label: "info/s", stroke: palette.info, paths: stepped, width: 1.5 },
      ],
    } as UPlot.Options,
    [x, series.ok, series.fail, series.info] as UPlot.AlignedData,
    hosts.throughput,
  );
  const latency = new uPlot(
    {
      ...common(hosts.latency, "latency of ok ops (ms)"),
      scales: { x: { time: false, min: model.from, max: model.to }, y: { distr: 3 } },
      series: [
        { label: "time (s)" },
        { label: "p50", stroke: "#2563eb", paths: stepped, width: 1.5, spanGaps: false },
        { label: "p99", stroke: "#db2777", paths: stepped, width: 1.5, spanGaps: false },
        { label: "max", stroke: "#9ca3af", paths: stepped, width: 1, dash: [3, 3], spanGaps: false },
      ],
    } as UPlot.Options,
    [x, series.p50, series.p99, series.max] as UPlot.AlignedData,
    hosts.latency,
  );
  const charts = [throughput, latency];
  return {
    charts,
    setWindow(from, to) {
      // The charts have one point per bucket: a window narrower than a few buckets would show a flat line,
      // so they keep at least ten around its middle.
      const least = Math.min(model.to - model.from, series.bucketS * 10);
      const middle = (from + to) / 2;
      const [min, max] = to - from >= least ? [from, to] : [middle - least / 2, middle + least / 2];
      for (const chart of charts) chart.setScale("x", { min, max });
    },
    resize() {
      for (const [index, chart] of charts.entries()) {
        const host = index === 0 ? hosts.throughput : hosts.latency;
        chart.setSize({ width: Math.max(320, host.clientWidth), height: 190 });
      }
    },
  };
}
