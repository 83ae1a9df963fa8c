// Opens a report's index.html in Debian's headless Chromium (playwright-core), offline, with a fresh profile.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const chromiumPath = "/usr/bin/chromium";

const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface ReportPage extends AsyncDisposable {
  page: Page;
  context: BrowserContext;
  /** performance.now() in the page when its first complete frame was painted. */
  firstRenderMs: number;
  /** Wall time from navigation to that frame, measured outside the page. */
  loadMs: number;
  /** Uncaught errors and console errors the page raised. */
  errors: string[];
  /** Every request the page made other than for the file itself (must stay empty: the page is self-contained). */
  requests: string[];
}

export function requireChromium(): void {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(
      `${chromiumPath} is missing: the report's browser test needs Debian's chromium. Install it as root with ` +
        "`apt-get install -y chromium` (.ci/run does this before npm test).",
    );
  }
}

export async function openReportPage(file: string, viewport = { width: 1400, height: 1000 }): Promise<ReportPage> {
  requireChromium();
  // Playwright takes the profile folder itself (it refuses --user-data-dir among the arguments).
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "report-chromium-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, args: chromiumArgs, viewport, timeout: 60_000 });
  const close = async (): Promise<void> => {
    await context.close().catch(() => undefined);
    fs.rmSync(profile, { recursive: true, force: true });
  };
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    const url = pathToFileURL(path.resolve(file)).href;
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("request", (request) => {
      if (request.url() !== url) requests.push(request.url());
    });
    const started = performance.now();
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { harnessReport?: { firstRenderMs: number | null } }).harnessReport?.firstRenderMs != null, null, {
      timeout: 60_000,
    });
    const loadMs = performance.now() - started;
    const firstRenderMs = await page.evaluate(() => (window as unknown as { harnessReport: { firstRenderMs: number } }).harnessReport.firstRenderMs);
    return { page, context, firstRenderMs, loadMs, errors, requests, [Symbol.asyncDispose]: close };
  } catch (error) {
    await close();
    throw error;
  }
}
