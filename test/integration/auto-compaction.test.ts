// The operators' auto-compaction rehearsed on real clusters: watchers resuming behind etcd's own compaction get the compacted answer (periodic); revision mode's first look is 5 minutes away.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CompactedAnswer, MemberAnswers } from "../../checkers/auto-compaction.ts";
import { clusterIdOf, leftovers, startHarness } from "../support/harness-process.ts";

/** The scenario shortened: its exit code, what it said, and results.json. */
async function run(scenario: string, time: string) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "harness-runs-"));
  const harness = startHarness(["run", scenario, "--time", time, "--out", out, "--json"]);
  const { code } = await harness.exit;
  return { code, stderr: harness.stderr(), results: JSON.parse(harness.stdout()) };
}

describe("harness run auto-compaction-periodic", () => {
  it("compacts every 2s while a follower is paused: its watcher resumes behind the compaction and is told so, nothing else skipped", async () => {
    // Two pauses: a watcher that reconnects the moment its member wakes, before the member replays what it
    // missed, rides the replay without a compaction (so about one pause in ten yields no answer).
    const { code, stderr, results } = await run("auto-compaction-periodic", "20s");
    expect(code, stderr).toBe(0);
    expect(stderr).toContain("flags --auto-compaction-mode=periodic --auto-compaction-retention=2s");
    const check = results.checkers["auto-compaction"];
    expect(check.verdict, check.summary).toBe("valid");
    const answers = check.answers as CompactedAnswer[];
    const resumed = answers.filter((answer) => answer.session > 0);
    expect(resumed.length).toBeGreaterThan(0);
    // Resumes behind a compaction happen on the paused members only; every answer names a revision past where its session started.
    const paused = (results.faults as Array<{ targets: string[] }>).map((fault) => fault.targets[0]);
    expect(paused).toHaveLength(2);
    for (const answer of resumed) expect(paused).toContain(answer.member);
    expect((check.members as MemberAnswers[]).reduce((total, member) => total + member.resumed, 0)).toBe(resumed.length);
    for (const answer of answers) expect(answer.compactRevision).toBeGreaterThan(answer.fromRevision);
    expect(check.compactRevisions.length).toBeGreaterThan(0);
    expect(check.gaps).toEqual({ resumable: 0, reliable: 0 });
    expect(stderr).toMatch(/valid +auto-compaction: \d+ resumes behind a compaction got the compacted answer \(n\d \d+/);
    expect(results.checkers.watch.verdict, results.checkers.watch.summary).toBe("valid");
    expect(await leftovers(clusterIdOf(stderr))).toEqual({ containers: [], networks: [] });
  });
});

describe("harness run auto-compaction-revision", () => {
  it("starts every member in revision mode; 16s is short of etcd's first look (5 minutes), so the rehearsal says it was not exercised", async () => {
    const { code, stderr, results } = await run("auto-compaction-revision", "16s");
    expect(stderr).toContain("flags --auto-compaction-mode=revision --auto-compaction-retention=300");
    const check = results.checkers["auto-compaction"];
    expect(check.verdict, check.summary).toBe("unknown");
    expect(check.summary).toMatch(/^no watcher resumed behind a compaction, so the rehearsal did not exercise what it is for .*; no compaction seen$/);
    expect(check.compactions).toBe(0);
    expect(code, stderr).toBe(2);
    for (const [name, other] of Object.entries(results.checkers as Record<string, { verdict: string; summary: string }>)) {
      if (name !== "auto-compaction") expect(other.verdict, `${name}: ${other.summary}`).toBe("valid");
    }
    expect(await leftovers(clusterIdOf(stderr))).toEqual({ containers: [], networks: [] });
  });
});
