// The report of a real invalid run, opened in Debian's headless Chromium: verdict, fault bands, the anomaly and the jump to it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { RunResults } from "../../record/results.ts";
import { openReportPage, requireChromium } from "../support/report-browser.ts";
import { startHarness } from "../support/harness-process.ts";

interface PageHandle {
  harnessReport: {
    frame(): {
      from: number;
      to: number;
      bands: Array<{ fault: string; targets: string[]; x0: number; x1: number; y0: number; y1: number }>;
      anomaly: { op: number; x: number; y: number } | null;
    };
    window(): [number, number];
    selected(): number;
  };
}

interface Blocked {
  process: number;
  key: string;
  f: string;
  description: string;
  call: number;
  ret: number | null;
}

describe("report in a browser", () => {
  it("shows a serializable-read run's verdict, fault bands and stale read, and jumps to it", async () => {
    // Fails here, with the command that fixes it, rather than skipping when Chromium is missing.
    requireChromium();
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "harness-report-"));
    const run = startHarness(["run", "partition-minority", "--read-mode", "serializable", "--time", "12s", "--out", out, "--json"]);
    const { code } = await run.exit;
    expect(code, run.stderr()).toBe(1);
    const results = JSON.parse(run.stdout()) as RunResults;
    const runDir = path.join(out, fs.readdirSync(out)[0]!);
    for (const file of ["index.html", "junit.xml", "summary.md"]) expect(fs.existsSync(path.join(runDir, file)), file).toBe(true);
    expect(fs.readFileSync(path.join(runDir, "junit.xml"), "utf8")).toMatch(/name="linearizability"[^>]*>\s*<failure /);
    expect(fs.readFileSync(path.join(runDir, "summary.md"), "utf8")).toMatch(/^## ❌ partition-minority: invalid/);

    const partition = (results.checkers["linearizability"]!["partitions"] as Array<{ verdict: string; counterexample?: { blocked: Blocked } }>).find(
      (candidate) => candidate.verdict === "invalid",
    )!;
    const blocked = partition.counterexample!.blocked;

    await using report = await openReportPage(path.join(runDir, "index.html"));
    const { page } = report;
    expect(report.errors).toEqual([]);
    expect(report.requests, "the page must load nothing").toEqual([]);
    console.log(`report ${runDir}/index.html: first frame painted ${report.firstRenderMs.toFixed(0)} ms after navigation`);

    // The verdict, big and red, and the checker that found it with its anomaly: the read, and the operation it names.
    await expect(page.getByTestId("verdict").textContent()).resolves.toBe("INVALID");
    const verdictColor = await page.getByTestId("verdict").evaluate((element) => getComputedStyle(element).color);
    expect(verdictColor).toBe("rgb(200, 30, 30)");
    const card = page.locator('[data-checker="linearizability"]');
    await expect(card.getAttribute("class")).resolves.toContain("verdict-invalid");
    const anomaly = card.getByTestId("anomaly").first();
    await expect(anomaly.getAttribute("data-kind")).resolves.toBe("not-linearizable");
    await expect(anomaly.locator("p").first().textContent()).resolves.toContain(`${blocked.description} by process ${blocked.process}`);
    await expect(anomaly.locator(".op-desc").first().textContent()).resolves.toMatch(new RegExp(`^${blocked.f} ${blocked.key} -> ok `));

    // A band per fault across the lanes, labelled with the fault's targets, and painted.
    const frame = await page.evaluate(() => (window as unknown as PageHandle).harnessReport.frame());
    expect(frame.bands.map((band) => [band.fault, band.targets])).toEqual(results.faults.map((fault) => [fault.fault, fault.targets]));
    for (const band of frame.bands) {
      expect(band.x1 - band.x0).toBeGreaterThan(20);
      const pixel = await page.evaluate(
        ({ x, y }) => {
          const canvas = document.getElementById("timeline-canvas") as HTMLCanvasElement;
          const ratio = canvas.width / canvas.clientWidth;
          return [...canvas.getContext("2d")!.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data];
        },
        { x: (band.x0 + band.x1) / 2, y: band.y0 + 1 },
      );
      expect(pixel.slice(0, 3), "the band's top edge is coloured").not.toEqual([255, 255, 255]);
    }
    await expect(page.locator("[data-fault-band]").count()).resolves.toBe(results.faults.length);

    // The first anomaly is the stale read, marked on the timeline.
    expect(frame.anomaly).not.toBeNull();
    await expect(page.getByTestId("anomaly-marker").isVisible()).resolves.toBe(true);
    await expect(page.getByTestId("first-anomaly").textContent()).resolves.toContain(blocked.description);

    // The jump control zooms in on it, selects it and shows what it was.
    const jump = page.getByTestId("jump-anomaly");
    await expect(jump.isEnabled()).resolves.toBe(true);
    await jump.click();
    await page.waitForFunction(() => (window as unknown as PageHandle).harnessReport.selected() >= 0);
    const [from, to] = await page.evaluate(() => (window as unknown as PageHandle).harnessReport.window());
    expect(to - from).toBeLessThan((frame.to - frame.from) / 2);
    expect(from).toBeLessThanOrEqual(blocked.call / 1e9);
    expect(to).toBeGreaterThanOrEqual((blocked.ret ?? blocked.call) / 1e9);
    const details = await page.locator("#op-details").textContent();
    expect(details).toContain(`process ${blocked.process} on `);
    expect(details).toContain(`${blocked.f} ${blocked.key}`);
    expect(details).toContain("⚠ linearizability");
    await expect(page.getByTestId("anomaly-marker").isVisible()).resolves.toBe(true);

    // Hovering the marked operation shows it.
    const zoomed = await page.evaluate(() => (window as unknown as PageHandle).harnessReport.frame());
    const box = (await page.getByTestId("timeline").boundingBox())!;
    await page.mouse.move(box.x + zoomed.anomaly!.x + 2, box.y + zoomed.anomaly!.y + 6);
    await expect(page.locator(".tooltip").textContent()).resolves.toContain(`process ${blocked.process} on `);

    const screenshot = path.join(runDir, "report-screenshot.png");
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(fs.statSync(screenshot).size).toBeGreaterThan(10_000);
    console.log(`screenshot: ${screenshot}`);
  });
});
