// The operators' runbooks rehearsed under load on real clusters: removing a leader as it is against after move-leader; growing a one-member cluster; heartbeat and election timeout tuned across zones.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { LeaderRemoval } from "../../checkers/leader-handoff.ts";
import type { QuorumWindow } from "../../checkers/quorum-window.ts";
import type { SettingFigures } from "../../checkers/tuning.ts";
import { clusterIdOf, leftovers, startHarness } from "../support/harness-process.ts";

describe("harness run leader-handoff", () => {
  it("removes the leader as it is, then after move-leader: the hand-off's gap is the shorter, both printed", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "harness-runs-"));
    const run = startHarness(["run", "leader-handoff", "--time", "24s", "--out", out, "--json"]);
    const { code } = await run.exit;
    const stderr = run.stderr();
    expect(code, stderr).toBe(0);
    const results = JSON.parse(run.stdout());
    const handoff = results.checkers["leader-handoff"];
    expect(handoff.verdict, handoff.summary).toBe("valid");
    const removals = handoff.removals as LeaderRemoval[];
    expect(removals.map((removal) => removal.handoff)).toEqual([false, true]);
    const [plain, handedOff] = removals as [LeaderRemoval, LeaderRemoval];
    // etcd elects a new leader only after an election timeout (1 s) once its leader is gone, and clients wait
    // for it; a transfer needs none. The status rounds hardly see it (members keep naming the removed leader).
    expect(plain.longestServiceGapS).toBeGreaterThan(0.5);
    expect(handedOff.longestServiceGapS).toBeLessThan(plain.longestServiceGapS);
    expect(handedOff.leaderlessS).toBeLessThanOrEqual(plain.leaderlessS);
    expect(handedOff.to).toMatch(/^n\d$/);
    expect(handedOff.moveMs).toBeGreaterThanOrEqual(0);
    // The second removal took the member that led by then, and the first's member came back for it.
    const faults = results.faults as Array<{ targets: string[]; details: { leaderBefore: string; handoffs?: Array<{ from: string; to: string }> } }>;
    expect(faults.map((fault) => fault.targets[0])).toEqual(faults.map((fault) => fault.details.leaderBefore));
    expect(faults[1]!.details.handoffs).toEqual([{ from: faults[1]!.details.leaderBefore, to: handedOff.to, elapsedMs: handedOff.moveMs }]);
    expect(stderr).toMatch(/valid +leader-handoff: move-leader first spared the election; removing the leader as it was: n\d at [\d.]+s: leaderless [\d.]+s, longest without an acknowledged operation [\d.]+s; after move-leader: n\d at [\d.]+s: leaderless [\d.]+s/);
    expect(results.checkers.durability.verdict).toBe("valid");
    expect(results.checkers.convergence.verdict).toBe("valid");
    expect(await leftovers(clusterIdOf(stderr))).toEqual({ containers: [], networks: [] });
  });
});

describe("harness run grow-from-one", () => {
  it("grows one member to three, each started 3 s after its member add: no quorum until n2 starts, nothing committed meanwhile", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "harness-runs-"));
    const run = startHarness(["run", "grow-from-one", "--time", "20s", "--out", out, "--json"]);
    const { code } = await run.exit;
    const stderr = run.stderr();
    expect(code, stderr).toBe(0);
    const results = JSON.parse(run.stdout());
    expect(results.members).toEqual(["n1", "n2", "n3"]);
    const quorum = results.checkers["quorum-window"];
    expect(quorum.verdict, quorum.summary).toBe("valid");
    const [window] = quorum.windows as QuorumWindow[];
    expect(quorum.windows).toHaveLength(1);
    expect(window).toMatchObject({ member: "n2", votersBefore: 1, writesAcknowledged: 0 });
    expect(window!.windowS).toBeGreaterThanOrEqual(3);
    // The clients kept trying through the window, and got nothing until n2 ran.
    expect(window!.writesInvoked).toBeGreaterThan(0);
    expect(stderr).toMatch(/valid +quorum-window: adding n2 to 1 member: no quorum for [\d.]+s/);
    for (const name of ["convergence", "durability", "faults-took-effect"]) expect(results.checkers[name].verdict, name).toBe("valid");
    expect(await leftovers(clusterIdOf(stderr))).toEqual({ containers: [], networks: [] });
  });
});

describe("harness run tuning", () => {
  it("cuts the leader off under the settings it started with and after every member was restarted with 1000/5000: the slower election is measured, both printed", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "harness-runs-"));
    const run = startHarness(["run", "tuning", "--out", out, "--json"]);
    const { code } = await run.exit;
    const stderr = run.stderr();
    expect(code, stderr).toBe(0);
    const results = JSON.parse(run.stdout());
    const tuning = results.checkers.tuning;
    expect(tuning.verdict, tuning.summary).toBe("valid");
    const [started, tuned] = tuning.settings as SettingFigures[];
    expect(tuned!.setting).toBe("heartbeat-interval=1000 election-timeout=5000");
    // etcd's default election timeout is 1 s, the write-ups' 5 s: a follower campaigns only after it.
    expect(started!.newLeaderAfterS[0]).toBeLessThan(4);
    expect(tuned!.newLeaderAfterS[0]).toBeGreaterThanOrEqual(5);
    expect(tuned!.longestServiceGapS).toBeGreaterThan(started!.longestServiceGapS);
    expect(started!.writes.count).toBeGreaterThan(0);
    expect(tuned!.writes.count).toBeGreaterThan(0);
    const reconfigure = (results.faults as Array<{ fault: string; tookEffect?: boolean; evidence?: string }>).find((fault) => fault.fault === "reconfigure")!;
    expect(reconfigure.tookEffect, reconfigure.evidence).toBe(true);
    expect(stderr).toMatch(/valid +tuning: as started: \d+ leader changes, a new leader [\d.]+s after the leader was cut off, .*; heartbeat-interval=1000 election-timeout=5000: /);
    expect(await leftovers(clusterIdOf(stderr))).toEqual({ containers: [], networks: [] });
  });
});
