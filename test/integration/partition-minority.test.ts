// The main job end to end, as a user runs it: a real cluster, real partitions, a verdict and results.json.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cliPath, clusterIdOf, leftovers, startHarness } from "../support/harness-process.ts";

describe("harness run partition-minority", () => {
  it("ends valid: the cut-off member refused, the majority served, all converged", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "harness-runs-"));
    const run = startHarness(["run", "partition-minority", "--time", "16s", "--seed", "42", "--out", out, "--json"]);
    const { code } = await run.exit;
    const stderr = run.stderr();
    expect(code, stderr).toBe(0);

    // --json: results.json on stdout and nothing else there.
    const results = JSON.parse(run.stdout());
    const reportDir = fs.readdirSync(out).map((name) => path.join(out, name))[0]!;
    expect(JSON.parse(fs.readFileSync(path.join(reportDir, "results.json"), "utf8"))).toEqual(results);
    expect(results).toMatchObject({ scenario: "partition-minority", verdict: "valid", seed: 42, settings: { nodes: 3, readMode: "linearizable" } });

    // Both phases ran, a follower then the leader, and each partition bit.
    expect(results.faults.map((fault: { selector: string }) => fault.selector)).toEqual(["minority-without-leader", "minority-with-leader"]);
    for (const fault of results.faults) expect(fault.tookEffect, fault.evidence).toBe(true);
    expect(Object.keys(results.checkers).sort()).toEqual(["convergence", "faults-took-effect", "linearizability", "majority-available", "minority-refuses"]);
    expect(results.checkers.linearizability.operations).toBeGreaterThan(100);
    expect(results.checkers["minority-refuses"].judged).toBeGreaterThan(0);
    expect(results.checkers["minority-refuses"].acknowledged).toEqual([]);
    for (const window of results.checkers["majority-available"].windows) expect(window.writesPerSecond).toBeGreaterThanOrEqual(1);

    // The report folder holds the history, the samples and every member's logs.
    const history = fs.readFileSync(path.join(reportDir, "history.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line));
    expect(history.filter((entry) => entry.process === "nemesis").map((entry) => entry.f)).toEqual([
      "start-partition", "start-partition", "stop-partition", "stop-partition",
      "start-partition", "start-partition", "stop-partition", "stop-partition",
    ]);
    expect(fs.readdirSync(path.join(reportDir, "nodes")).sort()).toEqual(["n1-proxy.log", "n1.log", "n2-proxy.log", "n2.log", "n3-proxy.log", "n3.log"]);
    expect(stderr).toMatch(/verdict: valid \(exit 0\)/);
    expect(await leftovers(clusterIdOf(stderr))).toEqual({ containers: [], networks: [] });
  });

  it("ends invalid with serializable reads: the cut-off member serves stale reads, and the checker names one", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "harness-runs-"));
    const run = startHarness(["run", "partition-minority", "--time", "16s", "--read-mode", "serializable", "--out", out, "--json"]);
    const { code } = await run.exit;
    expect(code, run.stderr()).toBe(1);
    const results = JSON.parse(run.stdout());
    expect(results.verdict).toBe("invalid");
    const linearizability = results.checkers.linearizability;
    expect(linearizability.verdict).toBe("invalid");
    const invalid = linearizability.partitions.find((partition: { verdict: string }) => partition.verdict === "invalid");
    expect(invalid.counterexample.blocked.f).toBe("read");
    // The stale read was served by a member while it was cut off.
    const history = fs.readFileSync(path.resolve(results.reportDir, "history.jsonl"), "utf8")
      .trim().split("\n").map((line) => JSON.parse(line));
    const read = history.find((entry) => entry.index === invalid.counterexample.blocked.invokeIndex);
    const cutOff = results.faults.filter((fault: { targets: string[]; effective: number; healStart: number }) =>
      fault.targets.includes(read.node) && read.time >= fault.effective && read.time <= fault.healStart);
    expect(cutOff, JSON.stringify(read)).toHaveLength(1);
    expect(run.stderr()).toMatch(/INVALID linearizability: key r\d: read\(\) -> \d+ by process \d+ on n\d/);

    // harness analyze re-checks the stored run, with nothing re-run against etcd, and reaches the same verdict.
    const analyze = spawnSync(process.execPath, [cliPath, "analyze", results.reportDir, "--json"], { encoding: "utf8" });
    expect(analyze.status, analyze.stderr).toBe(1);
    const analyzed = JSON.parse(analyze.stdout);
    expect(analyzed.checkers.linearizability.partitions).toEqual(linearizability.partitions.map((partition: object) => ({ ...partition, elapsedMs: expect.any(Number) })));
    expect(analyzed.analyzedAt).toEqual(expect.any(String));
  });
});
