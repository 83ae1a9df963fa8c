// npx keeps its own link to this project's `harness` command; when the command's file moves, that link dangles and `npx harness` says "not found".
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** Removes npx's cached installs of this project whose `harness` link points at a file that is gone; returns what it removed. */
export function dropStaleNpxLinks(projectRoot: string, npmCache = process.env["npm_config_cache"] ?? path.join(os.homedir(), ".npm")): string[] {
  const npxDir = path.join(npmCache, "_npx");
  let entries: string[];
  try {
    entries = fs.readdirSync(npxDir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const dir = path.join(npxDir, entry);
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { _npx?: { packages?: string[] } };
      if (!manifest._npx?.packages?.some((spec) => path.resolve(spec) === projectRoot)) continue;
      const link = path.join(dir, "node_modules", ".bin", "harness");
      if (!fs.lstatSync(link).isSymbolicLink() || fs.existsSync(link)) continue;
      fs.rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // Not an install of ours, or one without the link: leave it alone.
    }
  }
  return removed;
}
