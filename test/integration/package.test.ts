// The package as a user gets it: npm pack, the tarball installed in a fresh folder outside the repository, and the leader-election example's suite run there on Node 22 against real clusters.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { leftoversAfter } from "../support/harness-process.ts";

const repo = path.resolve(import.meta.dirname, "../..");
const exampleDir = path.join(repo, "examples", "leader-election");
/** The oldest Node line testcontainers supports; the repository itself runs on 24. */
const consumerNode = "22.22.0";

function npm(args: string[], cwd: string, timeoutMs: number): { status: number | null; output: string } {
  const result = spawnSync("npm", args, { cwd, encoding: "utf8", timeout: timeoutMs, env: { ...process.env, CI: "true", npm_config_update_notifier: "false" } });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

describe("the packed package in a project that is not this one", () => {
  it("npm pack, npm install <tarball>, and the leader-election example's suite passes on Node 22", async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "harness-package-"));
    const pack = npm(["pack", "--pack-destination", work, "--json"], repo, 180_000);
    expect(pack.status, pack.output).toBe(0);
    const tarball = path.join(work, (JSON.parse(pack.output.slice(pack.output.indexOf("["), pack.output.lastIndexOf("]") + 1)) as Array<{ filename: string }>)[0]!.filename);
    // What the package ships: built JavaScript with declarations, the launcher, the image sources; no TypeScript sources, no tests.
    const listing = spawnSync("tar", ["-tzf", tarball], { encoding: "utf8" }).stdout.split("\n");
    expect(listing).toEqual(expect.arrayContaining(["package/dist/index.js", "package/dist/index.d.ts", "package/bin/harness.js", "package/dist/testkit/start-etcd-cluster.js", "package/dist/harness/images/etcd/main.go"]));
    expect(listing.filter((file) => /^package\/(test|bench|examples)\//.test(file) || (file.endsWith(".ts") && !file.endsWith(".d.ts")))).toEqual([]);

    const project = path.join(work, "leader-election");
    fs.cpSync(exampleDir, project, { recursive: true, filter: (source) => !source.includes(`${path.sep}node_modules`) });
    const install = npm(["install", "--no-audit", "--no-fund", "--save-dev", tarball, `node@${consumerNode}`], project, 300_000);
    expect(install.status, install.output).toBe(0);

    // npm test runs vitest with the project's node_modules/.bin first on PATH: Node 22, not this process's Node.
    const suite = npm(["test"], project, 600_000);
    expect(suite.status, suite.output).toBe(0);
    expect(suite.output).toContain(`node v${consumerNode}`);
    expect(suite.output).toMatch(/Tests\s+.*4 passed/);
    expect(suite.output).toMatch(/unfenced-pause: lock: invalid: \d+ overlaps/);
    expect(suite.output).toMatch(/fenced-pause: lock: valid/);
    // Each rehearsal left a report folder as harness run writes one.
    const reports = [...suite.output.matchAll(/^report: (.+)$/gm)].map((match) => match[1]!);
    expect(reports).toHaveLength(4);
    for (const dir of reports) expect(fs.readdirSync(dir).sort()).toEqual(["history.jsonl", "index.html", "junit.xml", "results.json", "status.jsonl", "summary.md"]);
    // Nothing the example's clusters made outlives its test file.
    expect(await leftoversAfter(10_000)).toEqual({ containers: [], networks: [] });
    for (const dir of [work, ...reports.map((dir) => path.dirname(dir))]) fs.rmSync(dir, { recursive: true, force: true });
  }, 900_000);
});
