// In the page: the timeline canvas, one lane per client process, with fault bands, leader changes and anomalies.
/// <reference lib="dom" />
import type { OperationModel, RowLayout } from "./decode.ts";
import { describeOperation, firstVisible, layoutRows, operationAt } from "./decode.ts";

export interface TimelineHooks {
  /** The shown window changed by the user's hand (pan, zoom). */
  onWindow(from: number, to: number): void;
  /** An operation was clicked (-1: none). */
  onSelect(op: number): void;
}

/** What the last frame drew, for tests and for the anomaly flag. */
export interface DrawnFrame {
  from: number;
  to: number;
  bands: Array<{ fault: string; targets: string[]; x0: number; x1: number; y0: number; y1: number }>;
  leaders: Array<{ leader: string; x: number }>;
  anomaly: { op: number; x: number; y: number } | null;
  operations: number;
  ms: number;
}

export function timelinePalette() {
  return {
    ok: "#3f9f5f",
    fail: "#e8962e",
    info: "#8e6fd1",
    infoLight: "#ece5fb",
    anomaly: "#d1001f",
    selected: "#111827",
    related: "#ff7a00",
    leader: "#1d4ed8",
    noLeader: "#9ca3af",
    grid: "#e5e7eb",
    text: "#374151",
    muted: "#6b7280",
    shade: "rgba(15, 23, 42, 0.04)",
    background: "#ffffff",
    faultHues: [205, 280, 170, 45, 320, 120, 15, 240],
  };
}

/** Fault names get hues in order of first appearance, so the same fault looks the same in every view. */
export function faultHue(model: OperationModel, fault: string): number {
  const names = [...new Set(model.data.faults.map((band) => band.fault))];
  const hues = timelinePalette().faultHues;
  return hues[Math.max(0, names.indexOf(fault)) % hues.length]!;
}

/** Steps of 1, 2 and 5 per decade, so about `count` ticks fit in the span. */
export function tickStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const decade = 10 ** Math.floor(Math.log10(raw));
  for (const step of [1, 2, 5, 10]) if (step * decade >= raw) return step * decade;
  return 10 * decade;
}

export class TimelineView {
  readonly model: OperationModel;
  readonly canvas: HTMLCanvasElement;
  readonly tooltip: HTMLElement;
  readonly flag: HTMLElement;
  readonly hooks: TimelineHooks;
  from: number;
  to: number;
  scrollY = 0;
  selected = -1;
  related: number[] = [];
  width = 0;
  height = 0;
  laneHeight = 16;
  lanesHeight = 0;
  lastFrame: DrawnFrame | null = null;
  layout: RowLayout;
  #context: CanvasRenderingContext2D;
  #hatch: CanvasPattern | string;
  #pending = 0;
  #drag: { x: number; y: number; from: number; to: number; scrollY: number; moved: boolean } | null = null;

  static readonly gutter = 92;
  static readonly axisHeight = 22;
  static readonly labelHeight = 18;

  constructor(box: HTMLElement, model: OperationModel, hooks: TimelineHooks) {
    this.model = model;
    this.hooks = hooks;
    this.canvas = box.querySelector("canvas")!;
    this.tooltip = box.querySelector<HTMLElement>(".tooltip")!;
    this.flag = box.querySelector<HTMLElement>(".anomaly-flag")!;
    this.#context = this.canvas.getContext("2d")!;
    this.#hatch = this.#makeHatch();
    this.from = model.from;
    this.to = model.to;
    this.layout = layoutRows(model, model.data.lanes.length > TimelineView.maxUnpackedLanes);
    this.resize();
    this.#listen();
  }

  /** More processes than this are packed into shared rows at first; the page has a switch for either. */
  static readonly maxUnpackedLanes = 64;

  setPacked(packed: boolean): void {
    this.layout = layoutRows(this.model, packed);
    this.scrollY = 0;
    this.resize();
  }

  get lanesTop(): number {
    return TimelineView.axisHeight + TimelineView.labelHeight;
  }

  get plotWidth(): number {
    return Math.max(10, this.width - TimelineView.gutter - 8);
  }

  x(t: number): number {
    return TimelineView.gutter + ((t - this.from) / (this.to - this.from)) * this.plotWidth;
  }

  t(x: number): number {
    return this.from + ((x - TimelineView.gutter) / this.plotWidth) * (this.to - this.from);
  }

  resize(): void {
    const lanes = Math.max(1, this.layout.rows.length);
    const maxLanesHeight = 520;
    this.laneHeight = lanes <= 32 ? 16 : Math.max(5, Math.min(16, Math.floor(maxLanesHeight / lanes)));
    this.lanesHeight = Math.min(lanes * this.laneHeight, maxLanesHeight);
    this.width = Math.max(320, this.canvas.parentElement!.clientWidth);
    this.height = this.lanesTop + this.lanesHeight + 4;
    sizeCanvas(this.canvas, this.#context, this.width, this.height);
    this.scrollY = Math.min(this.scrollY, this.maxScroll());
    this.draw();
  }

  maxScroll(): number {
    return Math.max(0, this.layout.rows.length * this.laneHeight - this.lanesHeight);
  }

  /** Shows [from, to], kept inside the run and no narrower than 100 µs. */
  setWindow(from: number, to: number, byUser = false): void {
    const full = this.model.to - this.model.from;
    let span = Math.min(full, Math.max(1e-4, to - from));
    let start = Math.max(this.model.from, Math.min(from, this.model.to - span));
    if (span >= full) {
      start = this.model.from;
      span = full;
    }
    this.from = start;
    this.to = start + span;
    this.requestDraw();
    if (byUser) this.hooks.onWindow(this.from, this.to);
  }

  zoom(factor: number, around = (this.from + this.to) / 2): void {
    this.setWindow(around - (around - this.from) * factor, around + (this.to - around) * factor, true);
  }

  /** Brings an operation into view, selects it, and outlines the operations related to it. */
  focusOperation(op: number, related: number[] = []): void {
    const start = this.model.start[op]!;
    const end = Number.isNaN(this.model.end[op]!) ? this.model.to : this.model.end[op]!;
    const pad = Math.max(0.5, (end - start) * 3);
    this.selected = op;
    this.related = related;
    const lane = this.layout.rowOfLane[this.model.lane[op]!]!;
    const laneTop = lane * this.laneHeight;
    if (laneTop < this.scrollY || laneTop + this.laneHeight > this.scrollY + this.lanesHeight) {
      this.scrollY = Math.max(0, Math.min(this.maxScroll(), laneTop - this.lanesHeight / 2));
    }
    this.setWindow(start - pad, end + pad, true);
    this.hooks.onSelect(op);
  }

  requestDraw(): void {
    if (this.#pending) return;
    this.#pending = requestAnimationFrame(() => {
      this.#pending = 0;
      this.draw();
    });
  }

  draw(): void {
    const began = performance.now();
    const context = this.#context;
    const palette = timelinePalette();
    context.fillStyle = palette.background;
    context.fillRect(0, 0, this.width, this.height);
    const frame: DrawnFrame = { from: this.from, to: this.to, bands: [], leaders: [], anomaly: null, operations: 0, ms: 0 };
    context.save();
    context.beginPath();
    context.rect(TimelineView.gutter, 0, this.plotWidth, this.height);
    context.clip();
    this.#drawGroups(context);
    this.#drawFaults(context, frame);
    this.#drawAxis(context);
    frame.operations = this.#drawOperations(context);
    this.#tintFaults(context);
    this.#drawLeaders(context, frame);
    this.#drawMarks(context, frame);
    context.restore();
    this.#drawLaneLabels(context);
    frame.ms = performance.now() - began;
    this.lastFrame = frame;
    this.#placeFlag(frame);
  }

  laneY(lane: number): number {
    return this.lanesTop + lane * this.laneHeight - this.scrollY;
  }

  #visibleLanes(): [number, number] {
    const first = Math.max(0, Math.floor(this.scrollY / this.laneHeight));
    const last = Math.min(this.layout.rows.length - 1, Math.ceil((this.scrollY + this.lanesHeight) / this.laneHeight));
    return [first, last];
  }

  #drawGroups(context: CanvasRenderingContext2D): void {
    const palette = timelinePalette();
    this.layout.groups.forEach((group, index) => {
      if (index % 2 === 1) return;
      const y0 = Math.max(this.lanesTop, this.laneY(group.first));
      const y1 = Math.min(this.lanesTop + this.lanesHeight, this.laneY(group.last + 1));
      if (y1 <= y0) return;
      context.fillStyle = palette.shade;
      context.fillRect(TimelineView.gutter, y0, this.plotWidth, y1 - y0);
    });
  }

  #drawFaults(context: CanvasRenderingContext2D, frame: DrawnFrame): void {
    const top = TimelineView.axisHeight;
    const bottom = this.lanesTop + this.lanesHeight;
    context.font = "11px system-ui, sans-serif";
    context.textBaseline = "middle";
    for (const band of this.model.data.faults) {
      const hue = faultHue(this.model, band.fault);
      const x0 = this.x(band.start / 1e6);
      const x1 = Math.max(x0 + 2, this.x(band.end / 1e6));
      if (x1 < TimelineView.gutter || x0 > this.width) continue;
      const inPlace0 = this.x(band.effective / 1e6);
      const inPlace1 = Math.max(inPlace0 + 2, this.x(band.healStart / 1e6));
      context.fillStyle = `hsla(${hue}, 85%, 55%, 0.10)`;
      context.fillRect(x0, top, x1 - x0, bottom - top);
      context.fillStyle = `hsla(${hue}, 85%, 55%, 0.16)`;
      context.fillRect(inPlace0, top, inPlace1 - inPlace0, bottom - top);
      context.fillStyle = `hsla(${hue}, 70%, 45%, 0.9)`;
      context.fillRect(x0, top, x1 - x0, 3);
      const label = `${band.fault} ${band.targets.join(",")}${band.tookEffect === false ? " (did not take effect)" : ""}`;
      context.fillStyle = `hsl(${hue}, 65%, 30%)`;
      const labelX = Math.max(x0, TimelineView.gutter) + 4;
      if (x1 - labelX > 24) {
        context.save();
        context.beginPath();
        context.rect(labelX, top, x1 - labelX - 2, TimelineView.labelHeight);
        context.clip();
        context.fillText(label, labelX, top + TimelineView.labelHeight / 2 + 1);
        context.restore();
      }
      frame.bands.push({ fault: band.fault, targets: band.targets, x0, x1, y0: top, y1: bottom });
    }
  }

  /** A faint wash over the operations while a fault was in place, so the band reads through dense lanes. */
  #tintFaults(context: CanvasRenderingContext2D): void {
    for (const band of this.model.data.faults) {
      const x0 = this.x(band.effective / 1e6);
      const x1 = Math.max(x0 + 2, this.x(band.healStart / 1e6));
      if (x1 < TimelineView.gutter || x0 > this.width) continue;
      context.fillStyle = `hsla(${faultHue(this.model, band.fault)}, 85%, 55%, 0.12)`;
      context.fillRect(x0, this.lanesTop, x1 - x0, this.lanesHeight);
    }
  }

  #drawAxis(context: CanvasRenderingContext2D): void {
    const palette = timelinePalette();
    const span = this.to - this.from;
    const step = tickStep(span, this.plotWidth / 110);
    const digits = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
    context.font = "11px system-ui, sans-serif";
    context.textBaseline = "middle";
    context.strokeStyle = palette.grid;
    context.lineWidth = 1;
    for (let tick = Math.ceil(this.from / step) * step; tick <= this.to; tick += step) {
      const x = Math.round(this.x(tick)) + 0.5;
      context.beginPath();
      context.moveTo(x, TimelineView.axisHeight - 4);
      context.lineTo(x, this.lanesTop + this.lanesHeight);
      context.stroke();
      context.fillStyle = palette.muted;
      context.fillText(`${tick.toFixed(digits)} s`, x + 3, TimelineView.axisHeight / 2);
    }
  }

  /**
   * Bars from invocation to completion. Bars narrower than two pixels are summed per pixel column
   * instead, and each column shows the outcome covering most of it, drawn as runs of equal columns:
   * a zoomed-out frame costs what its pixels cost, and a few failures among many successes do not
   * paint every column they touch.
   */
  #drawOperations(context: CanvasRenderingContext2D): number {
    const model = this.model;
    const palette = timelinePalette();
    const [firstLane, lastLane] = this.#visibleLanes();
    const barHeight = Math.max(2, this.laneHeight - (this.laneHeight > 8 ? 4 : 1));
    const inset = (this.laneHeight - barHeight) / 2;
    const paths = [new Path2D(), new Path2D(), new Path2D()];
    const minX = TimelineView.gutter - 2;
    const maxX = this.width;
    const columns = Math.ceil(maxX) + 2;
    const cover = [new Float32Array(columns), new Float32Array(columns), new Float32Array(columns)];
    let drawn = 0;
    for (let lane = firstLane; lane <= lastLane; lane++) {
      const ops = this.layout.rows[lane]!;
      const y = this.laneY(lane) + inset;
      let low = columns;
      let high = -1;
      for (let at = firstVisible(model, ops, this.from); at < ops.length; at++) {
        const op = ops[at]!;
        const start = model.start[op]!;
        if (start > this.to) break;
        const end = Number.isNaN(model.end[op]!) ? model.to : model.end[op]!;
        const x1 = Math.min(maxX, this.x(end));
        if (x1 < minX) continue;
        const x0 = Math.max(minX, this.x(start));
        const kind = model.type[op]!;
        if (x1 - x0 >= 2) {
          paths[kind]!.rect(x0, y, x1 - x0, barHeight);
          drawn++;
          continue;
        }
        const column = Math.floor(x0);
        cover[kind]![column]! += Math.max(0.05, x1 - x0);
        low = Math.min(low, column);
        high = Math.max(high, column);
      }
      let runStart = -1;
      let runKind = -1;
      for (let column = low; column <= high + 1; column++) {
        let kind = -1;
        if (column <= high) {
          const ok = cover[0]![column]!;
          const fail = cover[1]![column]!;
          const info = cover[2]![column]!;
          if (ok + fail + info > 0) kind = info >= ok && info >= fail ? 2 : fail > ok ? 1 : 0;
          cover[0]![column] = 0;
          cover[1]![column] = 0;
          cover[2]![column] = 0;
        }
        if (kind === runKind) continue;
        if (runKind >= 0) {
          paths[runKind]!.rect(runStart, y, column - runStart, barHeight);
          drawn++;
        }
        runStart = column;
        runKind = kind;
      }
    }
    context.fillStyle = palette.ok;
    context.fill(paths[0]!);
    context.fillStyle = palette.fail;
    context.fill(paths[1]!);
    context.fillStyle = this.#hatch;
    context.fill(paths[2]!);
    context.strokeStyle = palette.info;
    context.lineWidth = 1;
    context.stroke(paths[2]!);
    return drawn;
  }

  #drawLeaders(context: CanvasRenderingContext2D, frame: DrawnFrame): void {
    const palette = timelinePalette();
    const top = TimelineView.axisHeight;
    const bottom = this.lanesTop + this.lanesHeight;
    context.font = "bold 10px system-ui, sans-serif";
    context.textBaseline = "middle";
    for (const change of this.model.data.leaders) {
      const x = Math.round(this.x(change.time / 1e6)) + 0.5;
      if (x < TimelineView.gutter || x > this.width) continue;
      if (change.leader === null) {
        // The member lost its leader: a dotted mark over that member's lanes only.
        const group = this.layout.groups.find((candidate) => candidate.node === change.member);
        if (!group) continue;
        context.strokeStyle = palette.noLeader;
        context.setLineDash([2, 2]);
        context.beginPath();
        context.moveTo(x, Math.max(this.lanesTop, this.laneY(group.first)));
        context.lineTo(x, Math.min(bottom, this.laneY(group.last + 1)));
        context.stroke();
        context.setLineDash([]);
        continue;
      }
      context.strokeStyle = palette.leader;
      context.lineWidth = 1;
      context.setLineDash([4, 3]);
      context.beginPath();
      context.moveTo(x, top + TimelineView.labelHeight - 4);
      context.lineTo(x, bottom);
      context.stroke();
      context.setLineDash([]);
      context.fillStyle = palette.leader;
      context.fillText(`★${change.leader}${change.term === null ? "" : ` t${change.term}`}`, x + 2, top + TimelineView.labelHeight - 6);
      frame.leaders.push({ leader: change.leader, x });
    }
  }

  #drawMarks(context: CanvasRenderingContext2D, frame: DrawnFrame): void {
    const palette = timelinePalette();
    const model = this.model;
    const outline = (op: number, color: string, width: number, dash: number[]): { x: number; y: number } => {
      const start = model.start[op]!;
      const end = Number.isNaN(model.end[op]!) ? model.to : model.end[op]!;
      const x0 = this.x(start);
      const x1 = Math.max(x0 + 3, this.x(end));
      const y = this.laneY(this.layout.rowOfLane[model.lane[op]!]!);
      context.strokeStyle = color;
      context.lineWidth = width;
      context.setLineDash(dash);
      context.strokeRect(x0 - 1.5, y + 0.5, x1 - x0 + 3, this.laneHeight - 1);
      context.setLineDash([]);
      return { x: x0, y };
    };
    if (this.selected >= 0) outline(this.selected, palette.selected, 4, []);
    for (const op of this.related) outline(op, palette.related, 1.5, [3, 2]);
    const anomalies = model.data.anomalies;
    for (let index = anomalies.length - 1; index >= 0; index--) {
      const anomaly = anomalies[index]!;
      if (anomaly.op < 0) continue;
      const at = outline(anomaly.op, palette.anomaly, index === 0 ? 2.5 : 1.5, []);
      if (index === 0) frame.anomaly = { op: anomaly.op, x: at.x, y: at.y };
    }
    const first = anomalies[0];
    if (first) {
      const x = Math.round(this.x(first.time / 1e6)) + 0.5;
      context.strokeStyle = palette.anomaly;
      context.lineWidth = 1.5;
      context.beginPath();
      context.moveTo(x, TimelineView.axisHeight);
      context.lineTo(x, this.lanesTop + this.lanesHeight);
      context.stroke();
      if (!frame.anomaly) frame.anomaly = { op: -1, x, y: this.lanesTop };
    }
  }

  #drawLaneLabels(context: CanvasRenderingContext2D): void {
    const palette = timelinePalette();
    const labels = this.layout.labels;
    context.fillStyle = palette.background;
    context.fillRect(0, 0, TimelineView.gutter, this.height);
    context.save();
    context.beginPath();
    context.rect(0, this.lanesTop, TimelineView.gutter, this.lanesHeight);
    context.clip();
    context.textBaseline = "middle";
    const [firstLane, lastLane] = this.#visibleLanes();
    if (this.laneHeight >= 10) {
      context.font = "10px ui-monospace, monospace";
      context.fillStyle = palette.muted;
      for (let lane = firstLane; lane <= lastLane; lane++) {
        context.fillText(labels[lane]!, 40, this.laneY(lane) + this.laneHeight / 2);
      }
    }
    context.font = "bold 11px system-ui, sans-serif";
    context.strokeStyle = palette.grid;
    for (const group of this.layout.groups) {
      const y0 = this.laneY(group.first);
      const y1 = this.laneY(group.last + 1);
      if (y1 < this.lanesTop || y0 > this.lanesTop + this.lanesHeight) continue;
      context.fillStyle = palette.text;
      context.fillText(group.node, 6, Math.max(this.lanesTop + 8, y0 + 8));
      context.beginPath();
      context.moveTo(0, Math.round(y1) + 0.5);
      context.lineTo(TimelineView.gutter, Math.round(y1) + 0.5);
      context.stroke();
    }
    context.restore();
    context.fillStyle = palette.muted;
    context.font = "10px system-ui, sans-serif";
    const processes = this.model.data.lanes.length;
    context.fillText(this.layout.packed ? `${processes} processes in ${labels.length} rows` : `${processes} processes`, 6, this.lanesTop - 8);
  }

  #placeFlag(frame: DrawnFrame): void {
    const anomaly = frame.anomaly;
    const visible = anomaly !== null && anomaly.x >= TimelineView.gutter && anomaly.x <= this.width && anomaly.y >= this.lanesTop - 1;
    this.flag.hidden = !visible;
    if (visible) {
      this.flag.style.left = `${Math.min(this.width - 120, anomaly.x)}px`;
      this.flag.style.top = `${Math.min(this.lanesTop + this.lanesHeight, anomaly.y + this.laneHeight) + 2}px`;
    }
  }

  #makeHatch(): CanvasPattern | string {
    const palette = timelinePalette();
    const tile = document.createElement("canvas");
    tile.width = 6;
    tile.height = 6;
    const context = tile.getContext("2d");
    if (!context) return palette.info;
    context.fillStyle = palette.infoLight;
    context.fillRect(0, 0, 6, 6);
    context.strokeStyle = palette.info;
    context.lineWidth = 1.5;
    context.beginPath();
    context.moveTo(-1, 7);
    context.lineTo(7, -1);
    context.moveTo(-1, 1);
    context.lineTo(1, -1);
    context.moveTo(5, 7);
    context.lineTo(7, 5);
    context.stroke();
    return this.#context.createPattern(tile, "repeat") ?? palette.info;
  }

  #hit(event: MouseEvent): number {
    const rect = this.canvas.getBoundingClientRect();
    const x = event.clientX - rect.left;
    const y = event.clientY - rect.top;
    if (x < TimelineView.gutter || y < this.lanesTop || y > this.lanesTop + this.lanesHeight) return -1;
    const row = Math.floor((y - this.lanesTop + this.scrollY) / this.laneHeight);
    if (row < 0 || row >= this.layout.rows.length) return -1;
    const slack = (3 / this.plotWidth) * (this.to - this.from);
    return operationAt(this.model, this.layout.rows[row]!, this.t(x), slack);
  }

  #showTooltip(event: MouseEvent, op: number): void {
    if (op < 0) {
      this.tooltip.hidden = true;
      this.canvas.style.cursor = this.#drag ? "grabbing" : "grab";
      return;
    }
    const text = describeOperation(this.model, op);
    this.tooltip.replaceChildren();
    const title = document.createElement("strong");
    title.textContent = text.title;
    title.className = `outcome-${text.outcome}`;
    this.tooltip.append(title);
    for (const line of text.lines) {
      const row = document.createElement("div");
      row.textContent = line;
      this.tooltip.append(row);
    }
    this.tooltip.hidden = false;
    const rect = this.canvas.getBoundingClientRect();
    const left = event.clientX - rect.left + 14;
    this.tooltip.style.left = `${Math.min(left, this.width - 340)}px`;
    const below = event.clientY - rect.top + 14;
    const height = this.tooltip.offsetHeight;
    // Above the cursor when it would run past the timeline's bottom edge.
    this.tooltip.style.top = `${below + height > this.height ? Math.max(0, below - height - 28) : below}px`;
    this.canvas.style.cursor = "pointer";
  }

  #listen(): void {
    const canvas = this.canvas;
    canvas.addEventListener("mousedown", (event) => {
      this.#drag = { x: event.clientX, y: event.clientY, from: this.from, to: this.to, scrollY: this.scrollY, moved: false };
      event.preventDefault();
    });
    window.addEventListener("mousemove", (event) => {
      const drag = this.#drag;
      if (!drag) return;
      const dx = event.clientX - drag.x;
      const dy = event.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      if (!drag.moved) return;
      const shift = (dx / this.plotWidth) * (drag.to - drag.from);
      this.scrollY = Math.max(0, Math.min(this.maxScroll(), drag.scrollY - dy));
      this.setWindow(drag.from - shift, drag.to - shift, true);
    });
    window.addEventListener("mouseup", (event) => {
      const drag = this.#drag;
      this.#drag = null;
      if (!drag || drag.moved || event.target !== canvas) return;
      const op = this.#hit(event);
      this.selected = op;
      this.related = this.model.data.anomalies.find((anomaly) => anomaly.op === op)?.related ?? [];
      this.requestDraw();
      this.hooks.onSelect(op);
    });
    canvas.addEventListener("mousemove", (event) => {
      if (this.#drag?.moved) return;
      this.#showTooltip(event, this.#hit(event));
    });
    canvas.addEventListener("mouseleave", () => {
      this.tooltip.hidden = true;
    });
    canvas.addEventListener("dblclick", (event) => {
      const rect = canvas.getBoundingClientRect();
      this.zoom(event.shiftKey ? 2 : 0.5, this.t(event.clientX - rect.left));
    });
    canvas.addEventListener(
      "wheel",
      (event) => {
        const rect = canvas.getBoundingClientRect();
        if (event.ctrlKey || event.metaKey) {
          event.preventDefault();
          this.zoom(Math.exp(event.deltaY * 0.002), this.t(event.clientX - rect.left));
        } else if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
          event.preventDefault();
          const delta = ((event.shiftKey ? event.deltaY : event.deltaX) / this.plotWidth) * (this.to - this.from);
          this.setWindow(this.from + delta, this.to + delta, true);
        } else if (this.maxScroll() > 0) {
          const next = Math.max(0, Math.min(this.maxScroll(), this.scrollY + event.deltaY));
          if (next !== this.scrollY) {
            event.preventDefault();
            this.scrollY = next;
            this.requestDraw();
          }
        }
      },
      { passive: false },
    );
  }
}

/** Sizes a canvas in CSS pixels, backed by device pixels so that drawing in CSS pixels stays sharp. */
export function sizeCanvas(canvas: HTMLCanvasElement, context: CanvasRenderingContext2D, width: number, height: number): void {
  const ratio = window.devicePixelRatio || 1;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
}
