// Failpoints on real clusters: a failpoints build made on first use, members crashed at exact points of their write path and restarted, sleeps that are reached.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { docker } from "../../harness/engine/docker-engine.ts";
import { readStoredResults } from "../../record/stored-run.ts";
import { leftovers, runHarness, type FinishedHarness } from "../support/harness-process.ts";

const out = fs.mkdtempSync(path.join(os.tmpdir(), "failpoints-"));
const harness = (args: string[], budgetMs?: number): Promise<FinishedHarness> => runHarness([...args, "--out", out], budgetMs);

describe("failpoint-crash", () => {
  it("builds 3.7.3+failpoints on first use; three or more distinct crash points each killed its member, which restarted on its data and rejoined; the run ends valid", async () => {
    await docker()
      .getImage("etcd-harness/etcd:3.7.3-failpoints")
      .remove({ force: true })
      .catch(() => undefined);
    const run = await harness(["run", "failpoint-crash", "--etcd", "3.7.3+failpoints", "--seed", "4"], 900_000);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/image etcd-harness\/etcd:3\.7\.3-failpoints: missing; building etcd 3\.7\.3\+failpoints .* its gofail comments enabled by go\.etcd\.io\/gofail@v0\.2\.0/);
    const results = readStoredResults(run.runDir!);
    expect(results).toMatchObject({ etcd: "3.7.3+failpoints", verdict: "valid" });
    const crashes = results.faults.filter((fault) => fault.fault === "failpoint-crash");
    for (const crash of crashes) {
      expect(crash.details, JSON.stringify(crash)).toMatchObject({ crashed: true, failpoint: crash.params["failpoint"], at: expect.stringMatching(/\.go:\d+$/) });
      expect(crash.signs).toEqual([{ kind: "measured", held: true, what: expect.stringMatching(/panicked at \w+ .*restarted on its data, it rejoined after/) }]);
    }
    expect(new Set(crashes.map((crash) => crash.details["failpoint"])).size).toBeGreaterThanOrEqual(3);
  }, 900_000);

  it("on a one-member cluster, raftBeforeSave armed with panic under writes: the fault record shows where it died, and nothing acknowledged is lost", async () => {
    const file = path.join(out, "one-member-crash.yaml");
    fs.writeFileSync(
      file,
      [
        "name: one-member-crash",
        "nodes: 1",
        "time: 15s",
        "etcd: { release: 3.7.3+failpoints }",
        "schedule:",
        "  steps:",
        "    - { at: 5s, fault: failpoint-crash, target: n1, params: { failpoint: raftBeforeSave } }",
        "checkers: [durability, convergence, faults-took-effect]",
      ].join("\n"),
    );
    const run = await harness(["run", file], 300_000);
    expect(run.code, run.stderr).toBe(0);
    const [crash] = readStoredResults(run.runDir!).faults;
    expect(crash).toMatchObject({ fault: "failpoint-crash", targets: ["n1"], details: { failpoint: "raftBeforeSave", crashed: true, exitCode: 2, at: expect.stringMatching(/^etcdserver\/raft\.go:\d+$/) } });
    expect(fs.readFileSync(path.join(run.runDir!, "nodes", "n1.log"), "utf8")).toContain("panic: failpoint panic");
  }, 300_000);

  it("refuses a build without failpoints before anything is built or started, naming the remedy", async () => {
    const run = await harness(["run", "failpoint-crash", "--etcd", "3.6.16"], 60_000);
    expect(run.code, run.stderr).toBe(64);
    expect(run.stderr).toMatch(/failpoint-crash arms failpoints \(failpoint-crash\), and n1,n2,n3 would run etcd 3\.6\.16, a build without them: run it with --etcd 3\.6\.16\+failpoints/);
    expect(await leftovers()).toEqual({ containers: [], networks: [] });
  }, 60_000);
});

describe("failpoint-sleep", () => {
  it("is reached on the members it was armed on, and the cluster keeps serving", async () => {
    const run = await harness(["run", "failpoint-sleep", "--time", "15s"], 300_000);
    expect(run.code, run.stderr).toBe(0);
    const sleeps = readStoredResults(run.runDir!).faults;
    expect(sleeps.map((fault) => fault.details["failpoint"])).toEqual(["raftBeforeSave", "raftAfterSave"]);
    for (const sleep of sleeps) expect(sleep.signs).toEqual([{ kind: "measured", held: true, what: expect.stringMatching(/slept \d+ms per pass: (n\d \d+ times(, )?)+$/) }]);
  }, 300_000);
});
