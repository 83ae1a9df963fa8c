// Reading stored runs through the record: a broken or foreign results.json is one line naming file and field (exit 64),
// an older format is read, a newer one refused by name, and a history cut off mid-write is read up to its last whole line.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { editResults, storedRunDir } from "../../support/stored-run-dir.ts";

const cli = path.resolve(import.meta.dirname, "../../../cli/main.ts");

function harness(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const results = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "results.json"), "utf8"));

describe("harness analyze on stored runs", () => {
  it("re-checks a stored run from its recorded plan and rewrites results.json and the report", () => {
    const { dir } = storedRunDir(400);
    const result = harness(["analyze", dir]);
    // The synthetic run has a stale read: linearizability finds it.
    expect(result.status, result.stderr).toBe(1);
    const analyzed = results(dir);
    expect(analyzed.format).toBe(2);
    expect(analyzed.analyzedAt).toBeDefined();
    expect(Object.keys(analyzed.checkers)).toEqual(["linearizability", "minority-refuses", "convergence", "faults-took-effect"]);
    expect(analyzed.checkers.linearizability.anomalies[0].kind).toBe("not-linearizable");
    expect(fs.existsSync(path.join(dir, "index.html"))).toBe(true);
  });

  it.each([
    ["a field of the wrong type", (r: Record<string, any>) => void (r.settings.nodes = "three"), /results\.json: settings\.nodes: .*expected number/],
    ["a missing field", (r: Record<string, any>) => void delete r.plan, /results\.json: plan: .*expected object/],
    ["a bad fault record", (r: Record<string, any>) => void (r.faults[0].signs = [{ kind: "glimpsed" }]), /results\.json: faults\[0\]\.signs\[0\]\.kind: /],
    ["an anomaly without operations", (r: Record<string, any>) => void delete r.checkers.linearizability.anomalies[0].ops, /results\.json: checkers\.linearizability\.anomalies\[0\]\.ops: /],
  ])("refuses %s in one line naming the file and the field, exit 64", (_what, change, message) => {
    const { dir } = storedRunDir(100);
    editResults(dir, change);
    const before = fs.readFileSync(path.join(dir, "results.json"), "utf8");
    const result = harness(["analyze", dir]);
    expect(result.status).toBe(64);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain(path.join(dir, "results.json"));
    // Nothing recorded is lost: the file is as it was.
    expect(fs.readFileSync(path.join(dir, "results.json"), "utf8")).toBe(before);
  });

  it("refuses a JSON file that is not a run's results, and one written by a newer harness, by name", () => {
    const { dir } = storedRunDir(100);
    fs.writeFileSync(path.join(dir, "results.json"), JSON.stringify({ name: "etcd-chaos-harness", version: "0.1.0" }));
    const foreign = harness(["analyze", dir]);
    expect(foreign.status).toBe(64);
    expect(foreign.stderr).toMatch(/results\.json: not a run's results \(no "scenario" and "settings"\)/);

    const newer = storedRunDir(100).dir;
    editResults(newer, (r) => void (r["format"] = 3));
    const refused = harness(["analyze", newer]);
    expect(refused.status).toBe(64);
    expect(refused.stderr).toMatch(/results\.json: format 3 is not one this harness reads \(1 and 2\); it was written by a newer harness/);
  });

  it("refuses a plan that names a checker this harness does not have, before checking anything", () => {
    const { dir } = storedRunDir(100);
    editResults(dir, (r) => void ((r["plan"] as { checkers: unknown[] }).checkers = [{ name: "clairvoyance" }]));
    const result = harness(["analyze", dir]);
    expect(result.status).toBe(64);
    expect(result.stderr).toMatch(/plan: no checker named clairvoyance; known: linearizability, /);
  });

  it("reads a results.json of format 1 (before the record had a format) and re-checks it as format 2", () => {
    const { dir } = storedRunDir(300);
    editResults(dir, (r: Record<string, any>) => {
      delete r.format;
      delete r.plan;
      for (const fault of r.faults) {
        delete fault.step;
        delete fault.signs;
      }
      for (const result of Object.values(r.checkers) as Array<Record<string, unknown>>) delete result["anomalies"];
    });
    const result = harness(["analyze", dir]);
    expect(result.status, result.stderr).toBe(1);
    const analyzed = results(dir);
    expect(analyzed.format).toBe(2);
    // The checkers that ran are re-run; each partition's effect, judged when it ran, is kept as a measured sign.
    expect(analyzed.plan.checkers.map((spec: { name: string }) => spec.name)).toEqual(["linearizability", "minority-refuses", "convergence", "faults-took-effect"]);
    expect(analyzed.faults.map((fault: { step: number; tookEffect: boolean }) => [fault.step, fault.tookEffect])).toEqual([[0, true], [1, true]]);
  });

  it("reads a history whose last line was cut off mid-write, saying which line, and refuses one broken elsewhere", () => {
    const { dir, run } = storedRunDir(200);
    const file = path.join(dir, "history.jsonl");
    fs.appendFileSync(file, '{"index":99999,"time":1,"proc');
    const lines = run.history.length + 1;
    const cut = harness(["analyze", dir]);
    expect(cut.status, cut.stderr).toBe(1);
    expect(cut.stderr).toContain(`history.jsonl: the last line (${lines}) was cut off, as by a run that died while writing it; read the ${run.history.length} entries before it`);

    const broken = fs.readFileSync(file, "utf8").split("\n");
    broken[5] = broken[5]!.slice(0, 20);
    fs.writeFileSync(file, broken.join("\n"));
    const refused = harness(["analyze", dir]);
    expect(refused.status).toBe(64);
    expect(refused.stderr).toMatch(/history\.jsonl: line 6: expected a JSON object like .*; not JSON/);
  });
});
