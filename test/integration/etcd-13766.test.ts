// The etcd-13766 regression scenario both ways: 3.5.2 loses writes on its crashed followers and the convergence checker names them; 3.5.3 loses none.
//
// The failpoint holds the race open (scenarios/etcd-13766.ts), so most crashes on 3.5.2 lose an entry:
// of 7 crashes, at least one did in each of the runs measured, so this is a test and not only a figure.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startHarness } from "../support/harness-process.ts";

async function run13766(etcd: string) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "harness-13766-"));
  const run = startHarness(["run", "etcd-13766", "--etcd", etcd, "--seed", "1", "--out", out, "--json"]);
  const { code } = await run.exit;
  const results = JSON.parse(run.stdout());
  expect(results.etcd).toBe(etcd);
  expect(results.faults.length).toBe(7);
  for (const fault of results.faults) {
    expect(fault.tookEffect, fault.evidence).toBe(true);
    expect(fault.details.at).toMatch(/^etcdserver\/server\.go:\d+$/);
  }
  return { code, results, stderr: run.stderr() };
}

describe("etcd issue 13766 regression scenario", () => {
  it("on 3.5.2, which had the bug, followers crashed between an entry's index and its apply come back behind their peers", async () => {
    const { code, results } = await run13766("3.5.2+failpoints");
    expect(results.expected).toBe("invalid");
    const convergence = results.checkers["convergence"];
    expect(convergence.verdict, convergence.summary).toBe("invalid");
    expect(convergence.summary).toMatch(/applied the same log to different effect/);
    expect(code).toBe(1);
  }, 300_000);

  it("on 3.5.3, which fixed it, the same crashes leave every member with the same data", async () => {
    const { code, results, stderr } = await run13766("3.5.3+failpoints");
    expect(results.checkers["convergence"].verdict, results.checkers["convergence"].summary).toBe("valid");
    expect(results.checkers["revision-monotonic"].verdict).toBe("valid");
    expect(code, stderr).toBe(0);
  }, 300_000);
});
