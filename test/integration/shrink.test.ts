// Shrinking a real failing run: it reproduces, tries smaller runs, and offers the replay of the smallest that still fails.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startHarness } from "../support/harness-process.ts";

describe("harness shrink", () => {
  it("shrinks a run with stale serializable reads to a smaller one that still fails", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "harness-shrink-"));
    const failing = startHarness(["run", "partition-minority", "--read-mode", "serializable", "--time", "10s", "--out", out, "--json"]);
    const { code } = await failing.exit;
    expect(code, failing.stderr()).toBe(1);
    const runDir = JSON.parse(failing.stdout()).reportDir as string;

    const shrink = startHarness(["shrink", runDir, "--budget", "100s", "--out", out]);
    const { code: shrinkCode } = await shrink.exit;
    const stderr = shrink.stderr();
    expect(shrinkCode, stderr).toBe(1);
    const report = JSON.parse(fs.readFileSync(path.join(out, `${path.basename(runDir)}-shrink`, "shrink.json"), "utf8"));
    expect(report.reproduced).toBe(true);
    // Stale serializable reads are a linearizability failure; a variant fails only if that checker fails it.
    expect(report.failure).toContain("linearizability");
    for (const attempt of report.attempts) expect(attempt.failed).toBe(attempt.invalid.includes("linearizability"));
    expect(report.attempts.length).toBeGreaterThanOrEqual(2);
    expect(report.attempts[0].failed).toBe(true);
    expect(report.minimal.replay).toMatch(/^harness replay \S+/);
    expect(report.attempts.at(-1).seconds).toBeGreaterThan(0);
    // The smallest failing attempt is no bigger than the original: no more faults, clients or keys.
    const minimal = report.attempts.filter((attempt: { failed: boolean }) => attempt.failed).at(-1);
    expect(minimal.candidate).toBe(report.minimal.candidate);
    expect(stderr).toContain(`shrink: replay it with: ${report.minimal.replay}`);
  });
});
