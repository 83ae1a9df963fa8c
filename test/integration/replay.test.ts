// Seeds that replay: a fault's targets come from its own random stream, whatever the workload drew first, and a
// replay hits the members the stored run hit, even where a role (leader, follower) would now pick another.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { RunResults } from "../../record/results.ts";
import { startHarness } from "../support/harness-process.ts";

/** Runs the CLI with --json as a user would; the run's results.json from its stdout. */
async function harnessRun(args: string[]): Promise<RunResults> {
  const run = startHarness([...args, "--json"]);
  const { code } = await run.exit;
  expect([0, 1, 2], run.stderr()).toContain(code);
  return JSON.parse(run.stdout()) as RunResults;
}

const roles = new Set(["leader", "follower", "minority-with-leader", "minority-without-leader"]);

describe("seeds and replays on real clusters", () => {
  it("two runs of random with one seed hit the same non-role targets, and a replay hits the recorded targets", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "harness-replay-"));
    // Seed 36 on 3 members for 20 s: a partition of a minority without the leader (a role), then of a random minority.
    const random = ["run", "random", "--seed", "36", "--nodes", "3", "--time", "20s", "--out", out];
    const first = await harnessRun(random);
    // Other settings of the workload: another number of clients drawing another number of operations.
    const second = await harnessRun([...random, "--rate", "60", "--concurrency", "3"]);

    expect(second.schedule).toEqual(first.schedule);
    expect(first.schedule.map((step) => step.target)).toEqual(["minority-without-leader", "minority"]);
    expect(first.error, first.error).toBeUndefined();
    expect(second.error, second.error).toBeUndefined();
    expect(second.stats.operations.ok).not.toBe(first.stats.operations.ok);
    const targetsOf = (results: RunResults, step: number): string[] | undefined => results.faults.find((fault) => fault.step === step)?.targets;
    for (const [step, entry] of first.schedule.entries()) {
      if (roles.has(entry.target)) continue;
      expect(targetsOf(second, step), `step ${step} (${entry.fault} of ${entry.target})`).toEqual(targetsOf(first, step));
    }
    // A role's members are who held the role then, and the record says who led.
    const roleFault = first.faults.find((fault) => fault.selector === "minority-without-leader")!;
    expect(roleFault.leader).toBeDefined();
    expect(roleFault.targets).not.toContain(roleFault.leader);

    const replay = await harnessRun(["replay", first.reportDir, "--out", out]);
    expect(replay.error, replay.error).toBeUndefined();
    expect(replay.seed).toBe(first.seed);
    expect(replay.schedule.map((step) => step.targets)).toEqual(first.schedule.map((_, step) => targetsOf(first, step)));
    for (const step of first.schedule.keys()) expect(targetsOf(replay, step), `step ${step}`).toEqual(targetsOf(first, step));
    // Pinned targets are not resolved from a role, so the replay records no leader for them.
    expect(replay.faults.every((fault) => fault.leader === undefined)).toBe(true);
  });
});
