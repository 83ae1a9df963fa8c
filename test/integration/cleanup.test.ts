// No container or network outlives a run, however the run ends: normally, by SIGINT, or by SIGKILL.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readHistoryFile } from "../../record/history/history-file.ts";
import { clusterIdOf, leftoversAfter, startHarness } from "../support/harness-process.ts";

const runArgs = (): string[] => ["run", "partition-minority", "--time", "60s", "--out", fs.mkdtempSync(path.join(os.tmpdir(), "harness-runs-"))];

describe("cleanup", () => {
  it("removes everything on SIGINT and keeps what was recorded", async () => {
    const run = startHarness(runArgs());
    await run.waitFor(/cluster eh-[0-9a-f]+ healthy/, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    run.child.kill("SIGINT");
    const { code } = await run.exit;
    expect(code).toBe(130);
    expect(await leftoversAfter(0, clusterIdOf(run.stderr()))).toEqual({ containers: [], networks: [] });
    const reportDir = /report in (\S+)/.exec(run.stderr())![1]!;
    const history = fs.readFileSync(path.join(reportDir, "history.jsonl"), "utf8").trim().split("\n");
    expect(history.length).toBeGreaterThan(10);
    for (const line of history) JSON.parse(line);
    expect(JSON.parse(fs.readFileSync(path.join(reportDir, "results.json"), "utf8"))).toMatchObject({ verdict: "unknown", error: "the run did not finish" });
  });

  it("leaves nothing behind after SIGKILL: the reaper removes it", async () => {
    const run = startHarness(runArgs());
    await run.waitFor(/cluster eh-[0-9a-f]+ healthy/, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    run.child.kill("SIGKILL");
    await run.exit;
    expect(await leftoversAfter(20_000, clusterIdOf(run.stderr()))).toEqual({ containers: [], networks: [] });
    // The history written so far is readable up to its last line.
    const reportDir = /report in (\S+)/.exec(run.stderr())![1]!;
    const history = (await readHistoryFile(path.join(reportDir, "history.jsonl"), "jsonl")).entries;
    expect(history.length).toBeGreaterThan(10);
  });
});
