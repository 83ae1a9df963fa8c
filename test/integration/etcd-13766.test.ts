// The etcd-13766 regression scenario on the release that fixed the bug: the kill loop under load ends valid.
//
// On 3.5.2 the same loop catches the bug only by chance (4 of 16 runs measured, README "A known etcd bug
// found again"): too rare for a test that must not flake, so `REPRO_ISSUES=13766 npm run bench:zoo` measures that rate,
// and the convergence checker's reading of such a run is unit-tested on the figures of a real one.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startHarness } from "../support/harness-process.ts";

describe("etcd issue 13766 regression scenario", () => {
  it("on 3.5.3, which fixed it, 77 follower kills under load leave every member with the same data", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "harness-13766-"));
    const run = startHarness(["run", "etcd-13766", "--etcd", "3.5.3", "--out", out, "--json"]);
    const { code } = await run.exit;
    const results = JSON.parse(run.stdout());
    expect(results.etcd).toBe("3.5.3");
    expect(results.faults.length).toBe(77);
    for (const fault of results.faults) expect(fault.tookEffect, fault.evidence).toBe(true);
    expect(results.checkers["convergence"].verdict, results.checkers["convergence"].summary).toBe("valid");
    expect(code, run.stderr()).toBe(0);
  }, 300_000);
});
