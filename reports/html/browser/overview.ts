// In the page: the whole run in one strip (operation density, faults, the first anomaly) with a brush that picks the timeline's window.
/// <reference lib="dom" />
import type { OperationModel } from "./decode.ts";
import { faultHue, sizeCanvas, timelinePalette, TimelineView } from "./timeline.ts";

export class OverviewBrush {
  readonly model: OperationModel;
  readonly canvas: HTMLCanvasElement;
  readonly onWindow: (from: number, to: number) => void;
  from: number;
  to: number;
  width = 0;
  readonly height = 44;
  #context: CanvasRenderingContext2D;
  #density: Float64Array[] = [];
  #drag: { mode: "move" | "new"; x: number; from: number; to: number } | null = null;

  /** Lined up with the timeline's plot area, so a time sits at the same x in both. */
  static readonly gutter = TimelineView.gutter;

  constructor(canvas: HTMLCanvasElement, model: OperationModel, onWindow: (from: number, to: number) => void) {
    this.canvas = canvas;
    this.model = model;
    this.onWindow = onWindow;
    this.from = model.from;
    this.to = model.to;
    this.#context = canvas.getContext("2d")!;
    this.resize();
    this.#listen();
  }

  get plotWidth(): number {
    return Math.max(10, this.width - OverviewBrush.gutter - 8);
  }

  x(t: number): number {
    return OverviewBrush.gutter + ((t - this.model.from) / (this.model.to - this.model.from)) * this.plotWidth;
  }

  t(x: number): number {
    return this.model.from + ((x - OverviewBrush.gutter) / this.plotWidth) * (this.model.to - this.model.from);
  }

  resize(): void {
    this.width = Math.max(320, this.canvas.parentElement!.clientWidth);
    sizeCanvas(this.canvas, this.#context, this.width, this.height);
    this.#density = this.#countPerPixel();
    this.draw();
  }

  setWindow(from: number, to: number): void {
    this.from = from;
    this.to = to;
    this.draw();
  }

  /** Operations invoked per pixel column, by outcome. */
  #countPerPixel(): Float64Array[] {
    const columns = Math.ceil(this.plotWidth);
    const counts = [new Float64Array(columns), new Float64Array(columns), new Float64Array(columns)];
    const scale = columns / (this.model.to - this.model.from);
    for (let op = 0; op < this.model.count; op++) {
      const column = Math.min(columns - 1, Math.max(0, Math.floor((this.model.start[op]! - this.model.from) * scale)));
      counts[this.model.type[op]!]![column]!++;
    }
    return counts;
  }

  draw(): void {
    const context = this.#context;
    const palette = timelinePalette();
    const height = this.height;
    context.fillStyle = palette.background;
    context.fillRect(0, 0, this.width, height);
    for (const band of this.model.data.faults) {
      const x0 = this.x(band.start / 1e6);
      const x1 = Math.max(x0 + 2, this.x(band.end / 1e6));
      context.fillStyle = `hsla(${faultHue(this.model, band.fault)}, 85%, 55%, 0.18)`;
      context.fillRect(x0, 0, x1 - x0, height);
    }
    const [ok, fail, info] = this.#density as [Float64Array, Float64Array, Float64Array];
    let peak = 1;
    for (let column = 0; column < ok.length; column++) peak = Math.max(peak, ok[column]! + fail[column]! + info[column]!);
    const barArea = height - 6;
    const colors = [palette.ok, palette.fail, palette.info];
    for (let column = 0; column < ok.length; column++) {
      let y = height - 2;
      for (const [kind, counts] of [ok, fail, info].entries()) {
        const h = (counts[column]! / peak) * barArea;
        if (h <= 0) continue;
        context.fillStyle = colors[kind]!;
        context.fillRect(OverviewBrush.gutter + column, y - h, 1, h);
        y -= h;
      }
    }
    const first = this.model.data.anomalies[0];
    if (first) {
      context.fillStyle = palette.anomaly;
      context.fillRect(Math.round(this.x(first.time / 1e6)) - 1, 0, 2, height);
    }
    const x0 = this.x(this.from);
    const x1 = Math.max(x0 + 3, this.x(this.to));
    context.fillStyle = "rgba(15, 23, 42, 0.28)";
    context.fillRect(OverviewBrush.gutter, 0, Math.max(0, x0 - OverviewBrush.gutter), height);
    context.fillRect(x1, 0, Math.max(0, OverviewBrush.gutter + this.plotWidth - x1), height);
    context.strokeStyle = palette.selected;
    context.lineWidth = 1.5;
    context.strokeRect(x0 + 0.5, 0.75, x1 - x0 - 1, height - 1.5);
    context.fillStyle = palette.muted;
    context.font = "10px system-ui, sans-serif";
    context.textBaseline = "middle";
    context.fillText("whole run", 6, height / 2 - 6);
    context.fillText("drag to choose", 6, height / 2 + 7);
  }

  #listen(): void {
    const position = (event: MouseEvent): number => event.clientX - this.canvas.getBoundingClientRect().left;
    this.canvas.addEventListener("mousedown", (event) => {
      const x = position(event);
      const inside = x >= this.x(this.from) && x <= this.x(this.to);
      this.#drag = { mode: inside ? "move" : "new", x, from: this.from, to: this.to };
      event.preventDefault();
    });
    window.addEventListener("mousemove", (event) => {
      const drag = this.#drag;
      if (!drag) return;
      const x = position(event);
      if (drag.mode === "move") {
        const shift = this.t(x) - this.t(drag.x);
        this.onWindow(drag.from + shift, drag.to + shift);
      } else if (Math.abs(x - drag.x) > 3) {
        this.onWindow(this.t(Math.min(x, drag.x)), this.t(Math.max(x, drag.x)));
      }
    });
    window.addEventListener("mouseup", (event) => {
      const drag = this.#drag;
      this.#drag = null;
      if (!drag || drag.mode !== "new") return;
      const x = position(event);
      if (Math.abs(x - drag.x) <= 3) {
        // A click outside the window centres the window there, keeping its width.
        const half = (drag.to - drag.from) / 2;
        this.onWindow(this.t(x) - half, this.t(x) + half);
      }
    });
  }
}
