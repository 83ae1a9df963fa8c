// The transactional checker on real etcd: serializable reads from a cut-off member are stale snapshots, named as real-time anomalies.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { clusterIdOf, leftovers, startHarness } from "../support/harness-process.ts";

describe("harness run partition-minority --workload append --read-mode serializable", () => {
  it("ends invalid: stale snapshot reads on the cut-off member are G-single-realtime, allowed by plain serializability", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "harness-runs-"));
    const run = startHarness(["run", "partition-minority", "--workload", "append", "--read-mode", "serializable", "--time", "14s", "--seed", "5", "--out", out, "--json"]);
    const { code } = await run.exit;
    expect(code, run.stderr()).toBe(1);
    const results = JSON.parse(run.stdout());
    const elle = results.checkers["elle-append"];
    expect(elle.verdict).toBe("invalid");
    expect(elle.ruledOut).toEqual(["strict-serializable"]);
    // Each read-only txn still saw one consistent snapshot: no cycle without real time.
    const kinds = new Set(elle.anomalies.map((anomaly: { kind: string }) => anomaly.kind));
    expect(kinds.has("G-single-realtime"), JSON.stringify([...kinds])).toBe(true);
    for (const kind of kinds) expect(kind).toMatch(/-realtime$/);
    // The shortest stories are stale reads themselves: a read that missed an append completed before it began.
    type Step = { from: number; to: number; kind: string };
    const staleReads = elle.cycles.filter((cycle: { name: string; steps: Step[] }) => cycle.name === "G-single-realtime" && cycle.steps.length === 2);
    expect(staleReads.length).toBeGreaterThan(0);
    for (const cycle of staleReads) expect(cycle.steps.map((step: Step) => step.kind).sort()).toEqual(["realtime", "rw"]);
    expect(elle.anomalies[0].explanation).toMatch(/ read key "[^"]+" (empty|ending at \d+), without T\d+'s append of \d+, which came next; .* began \([\d.]+ s\) after T\d+ completed/);
    // Stale readers ran on a member while a partition cut it off.
    const history = fs.readFileSync(path.resolve(results.reportDir, "history.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line));
    const faults: { targets: string[]; effective: number; healStart: number }[] = results.faults;
    const cutOff = staleReads.filter((cycle: { steps: Step[] }) => {
      const reader = history.find((entry) => entry.index === cycle.steps.find((step) => step.kind === "rw")!.from);
      return faults.some((fault) => fault.targets.includes(reader.node) && reader.time >= fault.effective && reader.time <= fault.healStart);
    });
    expect(cutOff.length, JSON.stringify(staleReads)).toBeGreaterThan(0);
    // Judged as plain serializability, the same history is valid: nothing but real time is violated.
    const check = startHarness(["check", path.resolve(results.reportDir, "history.jsonl"), "--model", "elle-append", "--consistency", "serializable", "--json"]);
    expect((await check.exit).code, check.stderr()).toBe(0);
    expect(JSON.parse(check.stdout())).toMatchObject({ verdict: "valid", consistency: "serializable", anomalies: [] });
    expect(await leftovers(clusterIdOf(run.stderr()))).toEqual({ containers: [], networks: [] });
  });
});
