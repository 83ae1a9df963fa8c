// The operators' disaster runbooks rehearsed under load on real clusters: snapshot restore, force-new-cluster, copy of a data directory, a member moved, a cluster migrated; what each kept and how long it took.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Recovery } from "../../record/recovery.ts";
import { clusterIdOf, leftovers, startHarness } from "../support/harness-process.ts";

interface Run {
  code: number | null;
  stderr: string;
  results: {
    verdict: string;
    members: string[];
    checkers: Record<string, { verdict: string; summary: string; [evidence: string]: unknown }>;
    faults: Array<{ fault: string; targets: string[]; details: Record<string, unknown> & { recovery?: Recovery } }>;
  };
}

async function run(args: string[]): Promise<Run> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "harness-runs-"));
  const harness = startHarness(["run", ...args, "--out", out, "--json"]);
  const { code } = await harness.exit;
  const stderr = harness.stderr();
  const results = JSON.parse(harness.stdout() || "{}") as Run["results"];
  expect(await leftovers(clusterIdOf(stderr)), "no container or network outlives the run").toEqual({ containers: [], networks: [] });
  return { code, stderr, results };
}

function expectEveryCheckerValid(results: Run["results"], stderr: string): void {
  for (const [name, result] of Object.entries(results.checkers)) expect(result.verdict, `${name}: ${result.summary}\n${stderr}`).toBe("valid");
}

describe("disaster recovery runbooks", () => {
  it("disaster-snapshot-restore: the new cluster holds exactly the snapshot's revision; writes after it are listed, none before it lost", async () => {
    const { code, stderr, results } = await run(["disaster-snapshot-restore", "--time", "16s"]);
    expect(code, stderr).toBe(0);
    expectEveryCheckerValid(results, stderr);
    expect(results.members).toEqual(["n4", "n5", "n6"]);
    const recovery = results.faults.find((fault) => fault.fault === "disaster-snapshot-restore")!.details.recovery!;
    expect(recovery.recoveryPoint.kind).toBe("snapshot");
    expect(recovery.restoredRevision).toBe(recovery.recoveryPoint.revision);
    expect(recovery.steps.map((step) => step.name)).toEqual(["lose n1, n2, n3", "snapshot restore for n4", "snapshot restore for n5", "snapshot restore for n6", "start n4, n5, n6", "endpoint status", "read the recovered keys", "point the clients at n4, n5, n6"]);
    expect(recovery.steps.every((step) => step.ok)).toBe(true);
    const point = results.checkers["recovery-point"]!.summary;
    expect(point).toMatch(/exactly; \d+ acknowledged writes up to revision \d+ present, [1-9]\d* after the snapshot: not restored, by the procedure/);
    expect(results.checkers["recovery-time"]!.summary).toMatch(/^snapshot restore: [\d.]+s from disaster to the first acknowledged write/);
    expect(stderr).toMatch(/valid +recovery-point: snapshot restore of n\d's snapshot at revision \d+/);
  });

  it("disaster-force-new-cluster: the survivor's data on a new machine, its peer URL updated, grown back to three; losses listed", async () => {
    const { code, stderr, results } = await run(["disaster-force-new-cluster", "--time", "12s"]);
    expect(code, stderr).toBe(0);
    expectEveryCheckerValid(results, stderr);
    expect(results.members).toEqual(["n4", "n5", "n6"]);
    const fault = results.faults.find((candidate) => candidate.fault === "disaster-force-new-cluster")!;
    const recovery = fault.details.recovery!;
    expect(recovery.recoveryPoint).toMatchObject({ kind: "survivor" });
    expect(recovery.destroyed).toHaveLength(3);
    expect(fault.details["peerUrls"]).toMatch(/^peer URLs http:\/\/peer-\d:2380 -> http:\/\/peer-4:2380$/);
    expect(recovery.steps.map((step) => step.name)).toEqual(expect.arrayContaining(["start n4 on n" + recovery.recoveryPoint.member.slice(1) + "'s data with --force-new-cluster", "member update n4's peer URL", "restart n4 without --force-new-cluster", "member add n5", "member add n6"]));
    expect(results.checkers["recovery-point"]!.summary).toMatch(/^\d+ acknowledged writes lost by the recovery/);
  });

  it("disaster-copy-data-dir: a running member's data directory copied, every member lost, the copy brought up and grown back", async () => {
    const { code, stderr, results } = await run(["disaster-copy-data-dir", "--time", "12s"]);
    expect(code, stderr).toBe(0);
    expectEveryCheckerValid(results, stderr);
    expect(results.members).toEqual(["n4", "n5", "n6"]);
    const recovery = results.faults.find((fault) => fault.fault === "disaster-copy-data-dir")!.details.recovery!;
    expect(recovery.steps[1]!.name).toMatch(/^copy n\d's data directory while it runs$/);
    expect(recovery.restoredRevision).toBeGreaterThanOrEqual(recovery.recoveryPoint.revision);
  });
});

describe("moves", () => {
  it("member-move: the member runs on a new machine under the same id, its peer URL updated, its clients following its address", async () => {
    const { code, stderr, results } = await run(["member-move", "--time", "12s"]);
    expect(code, stderr).toBe(0);
    expectEveryCheckerValid(results, stderr);
    const details = results.faults[0]!.details;
    expect(results.members).toContain("n4");
    expect(results.members).not.toContain(details["member"]);
    expect(details["peerUrls"]).toBe(`peer URLs http://peer-${String(details["member"]).slice(1)}:2380 -> http://peer-4:2380`);
  });

  it("cluster-migrate: every member replaced by a learner promoted in its place, the leader last and handed off; ends on new machines", async () => {
    const { code, stderr, results } = await run(["cluster-migrate", "--time", "12s"]);
    expect(code, stderr).toBe(0);
    expectEveryCheckerValid(results, stderr);
    expect(results.members).toEqual(["n4", "n5", "n6"]);
    const moves = results.faults[0]!.details["moves"] as Array<{ from: string; to: string; handoff?: string }>;
    expect(moves.map((move) => move.to)).toEqual(["n4", "n5", "n6"]);
    expect(moves.filter((move) => move.handoff)).toHaveLength(1);
    expect(moves.at(-1)!.handoff).toMatch(/^n\d -> n6 in \d+ ms$/);
  });
});
