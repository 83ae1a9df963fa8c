// Regression scenarios and what they brought: one on its fixed release, and the watch options, compaction traffic and snapshot catch-up on the default release.
//
// Catching each bug on its buggy release happens by chance, so `npm run bench:zoo` measures those rates;
// `npm run test:regressions` holds every fixed release valid (a run each, about 25 minutes).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { HistoryEntry } from "../../record/history/entry.ts";
import { readHistoryFile } from "../../record/history/history-file.ts";
import { startHarness } from "../support/harness-process.ts";

describe("regression scenarios", () => {
  it("etcd-14370 on 3.5.5+failpoints, the fix: a one-member cluster crashed before every WAL save under writes loses nothing", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "harness-14370-"));
    const run = startHarness(["run", "etcd-14370", "--etcd", "3.5.5+failpoints", "--seed", "1", "--out", out, "--json"]);
    const { code } = await run.exit;
    expect(code, run.stderr()).toBe(0);
    const results = JSON.parse(run.stdout());
    expect(results.etcd).toBe("3.5.5+failpoints");
    expect(results.faults.length).toBeGreaterThanOrEqual(6);
    for (const fault of results.faults) expect(fault.details.failpoint).toBe("raftBeforeSave");
    expect(results.checkers["revision-monotonic"].verdict).toBe("valid");
    expect(results.checkers["revision-monotonic"].compared).toBeGreaterThan(1000);
    expect(run.stderr()).toContain("regression: etcd issue 14370 (a one-member cluster acknowledges a write before saving it to its WAL, so a crash loses it): buggy on 3.5.4+failpoints, fixed in 3.5.5+failpoints; this run's 3.5.5 has the fix");
  }, 300_000);

  it("watches with progress requests, one-shot watches at future and compaction revisions, compaction traffic, and a member caught up by snapshot: all valid", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "harness-watch-options-"));
    const file = path.join(out, "watch-options.yaml");
    fs.writeFileSync(
      file,
      [
        "name: watch-options",
        "workload: watch",
        "time: 20s",
        "settings: { rate: 400, concurrency: 9, keys: 5, watchSession: 4s, watchProgress: 100ms, watchOneShots: [future, compaction], compactEvery: 500ms }",
        "etcd: { flags: [snapshot-count=10, snapshot-catchup-entries=10] }",
        "schedule: { cycle: [{ fault: blackhole-until-snapshot, target: follower }], off: 6s, warmup: 3s, tail: 6s }",
        "checkers: [faults-took-effect, revision-monotonic, convergence]",
      ].join("\n"),
    );
    const run = startHarness(["run", file, "--seed", "3", "--out", out, "--json"]);
    const { code } = await run.exit;
    expect(code, run.stderr()).toBe(0);
    const results = JSON.parse(run.stdout());
    // The cut member got a snapshot each time (the fault measured it arriving).
    expect(results.faults.length).toBeGreaterThanOrEqual(1);
    for (const fault of results.faults) {
      expect(fault.tookEffect, fault.evidence).toBe(true);
      expect(fault.details.snapshots).toBeGreaterThanOrEqual(1);
    }
    const watch = results.checkers.watch;
    expect(watch.verdict, watch.summary).toBe("valid");
    expect(watch.summary).toMatch(/\d+ progress notifications none ahead of its events/);
    const { entries } = await readHistoryFile(path.join(results.reportDir, "history.jsonl"), "jsonl");
    const completions = (f: string, type: string): HistoryEntry[] => entries.filter((entry) => entry.f === f && entry.type === type);
    // Compactions were made and recorded.
    expect(completions("compact", "ok").length).toBeGreaterThan(10);
    // One-shot watchers (numbers past the resuming ones) opened both ahead of the store and at its compaction revision.
    const sessions = entries.filter((entry) => entry.f === "watch" && entry.type === "invoke").map((entry) => entry.value as { watcher: number; fromRevision: number });
    const resuming = Math.floor(9 / 3);
    expect(sessions.filter((session) => session.watcher > resuming).length).toBeGreaterThan(5);
    expect(results.checkers["revision-monotonic"].verdict).toBe("valid");
  }, 300_000);
});
