// etcdutl of an etcd release as a Go module: its go.mod and go.sum pinned in the repo, or resolved once into the project's cache.
import fs from "node:fs";
import path from "node:path";
import { cacheDir } from "../paths.ts";
import { go, lastLine, NoGoToolchain } from "./etcd-modules.ts";
import { parseRelease, releaseOf } from "./etcd-releases.ts";

/** Its main package is the module root, so a module that lists it as a `tool` builds it by import path. */
export const etcdutlModule = "go.etcd.io/etcd/etcdutl/v3";
const pinnedDir = path.join(import.meta.dirname, "etcdutl");
const modulesDir = path.join(cacheDir, "etcdutl-modules");

/** The release whose etcdutl goes with a version ("3.7.3+failpoints" -> "3.7.3"); throws for a release without one. */
export function etcdutlRelease(version: string): string {
  const [, major, minor] = (/^v?(\d+)\.(\d+)\./.exec(version.trim()) ?? []).map(Number);
  if (major !== undefined && minor !== undefined && (major < 3 || (major === 3 && minor < 5))) {
    throw new Error(`etcdutl exists from etcd 3.5 on: etcd ${version} has none (its snapshot status and restore are etcdctl's)`);
  }
  const parsed = parseRelease(version);
  if ("error" in parsed) throw new Error(parsed.error);
  return releaseOf(parsed.version).release;
}

/** The folder with the release's go.mod and go.sum kept in the repo (harness/images/etcdutl/v<release>), if any. */
export function pinnedEtcdutlModuleDir(release: string): string | undefined {
  const dir = path.join(pinnedDir, `v${release}`);
  return fs.existsSync(path.join(dir, "go.sum")) ? dir : undefined;
}

/**
 * Resolves etcdutl's dependencies for the release through the module proxy into the cache, once; returns
 * the folder. Written aside and renamed, so a half-done resolution is never taken.
 */
export async function resolveEtcdutlModule(release: string): Promise<string> {
  const dir = path.join(modulesDir, `v${etcdutlRelease(release)}`);
  if (fs.existsSync(path.join(dir, "go.sum"))) return dir;
  fs.mkdirSync(modulesDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(modulesDir, `.v${release}-`));
  try {
    fs.writeFileSync(path.join(work, "go.mod"), "module etcd-harness.local/etcdutl\n\ngo 1.24\n");
    // `go get -tool` (Go 1.24) records the requirement and the sums of what building it needs; `go mod tidy`
    // also walks the tests of dependencies, and for 3.5.35 stops on an ambiguous cloud.google.com/go import.
    await go(["get", "-tool", `${etcdutlModule}@v${release}`], work, 600_000).catch((error: unknown) => {
      if (error instanceof NoGoToolchain) throw error;
      throw new Error(`step "go get" (resolving ${etcdutlModule}@v${release}'s dependencies through the Go module proxy) failed: ${lastLine(error)}`);
    });
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(work, dir);
    return dir;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
