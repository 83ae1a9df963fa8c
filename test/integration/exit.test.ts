// A run that has printed its verdict exits: every workload, under a kill that leaves clients and watches to a dead member.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startHarness } from "../support/harness-process.ts";

const workloads = ["register", "append", "watch", "lock", "kubernetes"];

describe("a run ends once it has said its verdict", () => {
  // Before etcd3's watch manager was stopped from reconnecting watchers nobody held, a watch run under a
  // kill never exited (killed after 150 s in a measurement); now the event loop empties by itself.
  it.each(workloads)("kill-follower with the %s workload exits within seconds of its verdict, nothing left open", async (workload) => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "harness-exit-"));
    const run = startHarness(["run", "kill-follower", "--workload", workload, "--time", "20s", "--seed", "1", "--out", out]);
    await run.waitFor(/verdict: \w+ \(exit \d\)/, 170_000);
    const verdictAt = Date.now();
    const exited = await Promise.race([run.exit, new Promise<undefined>((resolve) => setTimeout(resolve, 10_000))]);
    if (!exited) run.child.kill("SIGKILL");
    expect(exited, `still running 10 s after its verdict: ${run.stderr().slice(-500)}`).toBeDefined();
    expect(Date.now() - verdictAt).toBeLessThan(5000);
    expect(exited!.code, run.stderr()).toBe(Number(/verdict: \w+ \(exit (\d)\)/.exec(run.stderr())![1]));
    // The command's own last resort (exit anyway, naming what was open) was not needed.
    expect(run.stderr()).not.toContain("still open after the report was written");
  }, 200_000);
});
