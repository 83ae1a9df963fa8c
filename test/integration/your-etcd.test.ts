// The etcd a user runs: any published release built on first use, their flags, their source tree, their image, their scenario file.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { docker } from "../../harness/engine/docker-engine.ts";
import { sourceTree } from "../../harness/images/etcd-source.ts";
import { readStoredResults } from "../../record/stored-run.ts";
import { resolvePlan } from "../../runner/plan.ts";
import { scenarioNamed } from "../../scenarios/registry.ts";
import { clusterIdOf, leftovers, runHarness, startHarness, type FinishedHarness } from "../support/harness-process.ts";
import { etcdCheckout, oddlyLaidOutImage } from "../support/user-etcd.ts";

const out = fs.mkdtempSync(path.join(os.tmpdir(), "your-etcd-"));
/** Images the tests make that no later run needs. */
const made: string[] = [];

afterAll(async () => {
  for (const image of made) await docker().getImage(image).remove({ force: true }).catch(() => undefined);
});

/** Runs the CLI to its end, its report folder under this test's own. */
const harness = (args: string[], budgetMs?: number): Promise<FinishedHarness> => runHarness([...args, "--out", out], budgetMs);

describe("any release", () => {
  it("builds 3.5.21, pinned nowhere in the repo, on first use; partition-minority ends valid, and a second run builds nothing", async () => {
    await docker()
      .getImage("etcd-harness/etcd:3.5.21")
      .remove({ force: true })
      .catch(() => undefined);
    const first = await harness(["run", "partition-minority", "--etcd", "3.5.21", "--time", "10s"], 600_000);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/image etcd-harness\/etcd:3\.5\.21: missing; building etcd 3\.5\.21 from go\.etcd\.io\/etcd\/server\/v3@v3\.5\.21/);
    expect(first.stderr).toMatch(/image etcd-harness\/etcd:3\.5\.21: built in [\d.]+s/);
    expect(readStoredResults(first.runDir!)).toMatchObject({ etcd: "3.5.21", build: { kind: "release", version: "3.5.21" }, verdict: "valid" });
    const second = await harness(["run", "partition-minority", "--etcd", "3.5.21", "--time", "10s"]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).not.toMatch(/building/);
  }, 900_000);

  it("refuses a release that does not exist, or cannot be had here, at once: exit 64, no container started", async () => {
    for (const [release, reason] of [
      ["3.9.99", /etcd 3\.9\.99 is not in a series the harness runs/],
      ["3.4.5", /etcd 3\.4\.5 cannot be built here: etcd 3\.4's go\.mod names its module go\.etcd\.io\/etcd/],
      ["v3.5.999", /the Go module proxy does not serve go\.etcd\.io\/etcd\/server\/v3@v3\.5\.999/],
    ] as const) {
      const run = await harness(["run", "partition-minority", "--etcd", release], 60_000);
      expect(run.code, run.stderr).toBe(64);
      expect(run.stderr).toMatch(reason);
      expect(run.stderr).not.toMatch(/cluster eh-/);
    }
  }, 120_000);
});

describe("your flags", () => {
  it("reach every member's command line and results.json, a member's own on that member only", async () => {
    const run = startHarness(["run", "steady", "--time", "8s", "--etcd-flag", "heartbeat-interval=100", "--etcd-flag", "election-timeout=1000", "--member-etcd-flag", "n2:snapshot-count=500", "--out", out]);
    await run.waitFor(/cluster eh-[0-9a-f]+ healthy/, 120_000);
    const containers = await docker().listContainers({ filters: { label: [`etcd-harness.run=${clusterIdOf(run.stderr())}`, "etcd-harness.role=etcd"] } });
    const args = Object.fromEntries(
      await Promise.all(containers.map(async (container) => [container.Labels["etcd-harness.member"]!, (await docker().getContainer(container.Id).inspect()).Args] as const)),
    );
    expect(Object.keys(args).sort()).toEqual(["n1", "n2", "n3"]);
    for (const member of ["n1", "n2", "n3"]) expect(args[member]).toEqual(expect.arrayContaining(["--heartbeat-interval=100", "--election-timeout=1000"]));
    expect(args["n2"]).toContain("--snapshot-count=500");
    expect(args["n1"]).not.toContain("--snapshot-count=500");
    const { code } = await run.exit;
    expect(code, run.stderr()).toBe(0);
    const runDir = path.resolve(/report: (\S+)\/index\.html/.exec(run.stderr())![1]!);
    expect(readStoredResults(runDir)).toMatchObject({ etcdFlags: ["--heartbeat-interval=100", "--election-timeout=1000"], memberEtcdFlags: { n2: ["--snapshot-count=500"] } });
    // etcd itself took them: its own log of its configuration.
    expect(fs.readFileSync(path.join(runDir, "nodes", "n2.log"), "utf8")).toContain('"snapshot-count":500');
    expect(fs.readFileSync(path.join(runDir, "index.html"), "utf8")).toContain("--heartbeat-interval=100 --election-timeout=1000; n2: --snapshot-count=500");
  }, 180_000);

  it("refuses a flag the release does not know, or one the harness owns, before the cluster starts: exit 64 naming it", async () => {
    const unknown = await harness(["run", "partition-minority", "--etcd-flag", "no-such-flag=1", "--etcd-flag", "heartbeat-interval=abc"], 120_000);
    expect(unknown.code, unknown.stderr).toBe(64);
    expect(unknown.stderr).toMatch(/--etcd-flag no-such-flag=1: etcd 3\.\d+\.\d+ \(etcd-harness\/etcd:[\d.]+\) refused it: flag provided but not defined: -no-such-flag/);
    expect(unknown.stderr).toMatch(/--etcd-flag heartbeat-interval=abc: .* invalid value "abc" for flag -heartbeat-interval/);
    expect(unknown.stderr).not.toMatch(/cluster eh-/);
    const owned = await harness(["run", "partition-minority", "--etcd-flag", "data-dir=/elsewhere"], 60_000);
    expect(owned.code).toBe(64);
    expect(owned.stderr).toMatch(/--data-dir is the harness's to set/);
    expect(await leftovers()).toEqual({ containers: [], networks: [] });
  }, 240_000);
});

describe("your source tree", () => {
  it("builds a checkout of 3.6.16 into an image named by its commit; partition-minority ends valid on it; an uncommitted change names a new image", async () => {
    const dir = await etcdCheckout("3.6.16");
    const tree = await sourceTree(dir);
    made.push(tree.ref);
    expect(tree.ref).toBe(`etcd-harness/etcd-source:${tree.commit.slice(0, 12)}`);
    const run = await harness(["run", "partition-minority", "--etcd-source", dir, "--time", "10s"], 600_000);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(new RegExp(`partition-minority: etcd 3\\.6\\.16 from ${dir} at ${tree.commit.slice(0, 12)}`));
    expect(readStoredResults(run.runDir!)).toMatchObject({ etcd: "3.6.16", build: { kind: "source", dir, commit: tree.commit, changes: "clean", image: tree.ref } });

    fs.appendFileSync(path.join(dir, "server", "main.go"), "\n// a local change\n");
    const changed = await sourceTree(dir);
    expect(changed.ref).toMatch(new RegExp(`^etcd-harness/etcd-source:${tree.commit.slice(0, 12)}-[0-9a-f]{8}$`));
    expect((await sourceTree(dir)).ref).toBe(changed.ref);
  }, 900_000);
});

describe("your image", () => {
  it("runs members from an image with etcd elsewhere, behind a shell script, found through its PATH; partition-minority ends valid", async () => {
    await oddlyLaidOutImage("etcd-harness/etcd:3.6.16", "etcd-harness-test/odd-etcd:3.6.16");
    made.push("etcd-harness-test/odd-etcd:3.6.16");
    const run = await harness(["run", "partition-minority", "--etcd-image", "etcd-harness-test/odd-etcd:3.6.16", "--time", "10s"]);
    expect(run.code, run.stderr).toBe(0);
    expect(readStoredResults(run.runDir!)).toMatchObject({ etcd: "3.6.16", build: { kind: "image", image: "etcd-harness-test/odd-etcd:3.6.16", binary: "/opt/etcd/bin/etcd" } });
    const wrong = await harness(["run", "partition-minority", "--etcd-image", "etcd-harness-test/odd-etcd:3.6.16", "--etcd-binary", "/usr/local/bin/etcd"], 60_000);
    expect(wrong.code).toBe(64);
    expect(wrong.stderr).toMatch(/--etcd-binary \/usr\/local\/bin\/etcd: no such file in etcd-harness-test\/odd-etcd:3\.6\.16/);
  }, 300_000);
});

describe("your scenario", () => {
  it("harness show partition-minority, run as a file with --seed 7, plays the built-in's schedule for seed 7", async () => {
    const show = startHarness(["show", "partition-minority"]);
    expect((await show.exit).code).toBe(0);
    const file = path.join(out, "s.yaml");
    fs.writeFileSync(file, show.stdout());
    const run = await harness(["run", file, "--seed", "7"]);
    expect(run.code, run.stderr).toBe(0);
    const results = readStoredResults(run.runDir!);
    const builtIn = resolvePlan(scenarioNamed("partition-minority"), results.settings, 7);
    expect(results.schedule).toEqual(builtIn.schedule);
    expect(results.plan).toEqual(builtIn.record);
    expect(results.scenarioSpec?.name).toBe("partition-minority");

    fs.writeFileSync(file, show.stdout().replace("target: minority-with-leader", "target: minority-wth-leader"));
    const broken = await harness(["run", file], 60_000);
    expect(broken.code).toBe(64);
    expect(broken.stderr).toMatch(/s\.yaml:\d+:\d+: schedule\.cycle\[1\]\.target: "minority-wth-leader" is neither a role/);
  }, 240_000);
});
