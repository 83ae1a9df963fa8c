// Known answers of the cluster-level checkers on real etcd: a killed majority stops writes, loses nothing acknowledged, and writes resume after the restart.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { clusterIdOf, leftovers, startHarness } from "../support/harness-process.ts";

describe("harness run kill-majority", () => {
  it("ends valid: no quorum while the majority is down, writes resume after the restart, every acknowledged append survives", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "harness-runs-"));
    const run = startHarness(["run", "kill-majority", "--workload", "append", "--time", "14s", "--out", out, "--json"]);
    const { code } = await run.exit;
    expect(code, run.stderr()).toBe(0);
    const results = JSON.parse(run.stdout());
    expect(Object.keys(results.checkers).sort()).toEqual(["availability", "convergence", "durability", "elle-append", "faults-took-effect", "split-brain"]);
    const [kill] = results.faults;
    expect(kill.targets).toHaveLength(2);

    // availability: nothing expected while two of three members are down; the quorum is back and writing within 10 s.
    const [figures] = results.checkers.availability.faults;
    expect(figures.during.serving).toBeNull();
    expect(figures.expected).toEqual({ maxRecoveryS: 10 });
    expect(figures.recovery.firstWriteS).toBeLessThanOrEqual(10);
    expect(figures.after.writes).toBeGreaterThan(0);
    // No quorum agreed on a leader for most of the kill.
    expect(results.checkers.availability.elections.longestLeaderlessS).toBeGreaterThan((kill.healStart - kill.effective) / 1e9 / 2);

    // durability: the append lists read through every member after the restart hold every acknowledged append, in order.
    const durability = results.checkers.durability;
    expect(durability).toMatchObject({ verdict: "valid", workload: "append", violations: [] });
    expect(durability.acknowledgedWrites).toBeGreaterThan(20);
    expect(durability.answers).toBe(results.probes.finalReads.keys.length * 3);
    expect(durability.summary).toMatch(/acknowledged appends, each in its key's final list in order/);

    // elle-append: the transactions around the kill (many uncertain) still form no cycle, real time included.
    const elle = results.checkers["elle-append"];
    expect(elle, elle.summary).toMatchObject({ verdict: "valid", consistency: "strict-serializable", cycles: [] });
    expect(elle.transactions.ok).toBeGreaterThan(100);
    expect(elle.edges.realtime).toBeGreaterThan(100);

    // split-brain: raft samples from the survivor throughout and from everyone after the restart, one leader per term.
    expect(results.checkers["split-brain"]).toMatchObject({ verdict: "valid", termConflicts: [] });
    expect(await leftovers(clusterIdOf(run.stderr()))).toEqual({ containers: [], networks: [] });
  });
});
