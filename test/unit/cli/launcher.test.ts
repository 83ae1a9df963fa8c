// bin/harness.js: on a Node older than testcontainers' floor it says so in one line and exits 69, before any dependency loads.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const launcher = path.resolve(import.meta.dirname, "../../../bin/harness.js");
/** Debian 12's Node (20 on this machine kind), older than the floor. */
const systemNode = "/usr/bin/node";
const systemVersion = spawnSync(systemNode, ["--version"], { encoding: "utf8" }).stdout?.trim() ?? "";

describe("the harness launcher", () => {
  it.runIf(/^v(1\d|2[01])\./.test(systemVersion))(`refuses ${systemVersion || "an old Node"} in one line, exit 69`, () => {
    const result = spawnSync(systemNode, [launcher, "--help"], { encoding: "utf8" });
    expect(result.status).toBe(69);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/^harness: needs Node\.js >= 22\.22 \(testcontainers 12 does\), this is 2\d\.\d+\.\d+; `npx harness` runs the Node 24/);
  });

  it("runs the TypeScript sources beside it in the repository on this Node", () => {
    const result = spawnSync(process.execPath, [launcher, "--help"], { encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Usage: harness/);
  });
});
