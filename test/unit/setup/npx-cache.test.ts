// Set-up drops npx's cached link to this project's `harness` command when it points at a file that moved, and nothing else.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { dropStaleNpxLinks } from "../../../harness/setup/npx-cache.ts";

function install(cache: string, name: string, project: string, target: string, withFile: boolean): string {
  const dir = path.join(cache, "_npx", name);
  fs.mkdirSync(path.join(dir, "node_modules", ".bin"), { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ _npx: { packages: [project] } }));
  fs.mkdirSync(path.join(dir, "node_modules", "etcd-chaos-harness", path.dirname(target)), { recursive: true });
  if (withFile) fs.writeFileSync(path.join(dir, "node_modules", "etcd-chaos-harness", target), "");
  fs.symlinkSync(`../etcd-chaos-harness/${target}`, path.join(dir, "node_modules", ".bin", "harness"));
  return dir;
}

describe("dropStaleNpxLinks", () => {
  it("removes this project's npx install whose harness link dangles, and keeps working ones and other projects'", () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "npm-cache-"));
    const stale = install(cache, "a", "/work/project", "harness/cli.ts", false);
    const current = install(cache, "b", "/work/project", "cli/main.ts", true);
    const other = install(cache, "c", "/somewhere/else", "harness/cli.ts", false);
    expect(dropStaleNpxLinks("/work/project", cache)).toEqual([stale]);
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(current)).toBe(true);
    expect(fs.existsSync(other)).toBe(true);
    expect(dropStaleNpxLinks("/work/project", path.join(cache, "missing"))).toEqual([]);
  });
});
