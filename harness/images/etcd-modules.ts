// etcd releases as Go modules: whether the module proxy serves one, and its go.mod and go.sum, resolved once into the project's cache.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { cacheDir } from "../paths.ts";

const run = promisify(execFile);

export const serverModule = "go.etcd.io/etcd/server/v3";
/** The five-line `main` every module-built etcd image compiles (it calls etcdmain.Main). */
export const etcdMainGo = path.join(import.meta.dirname, "etcd", "main.go");
const modulesDir = path.join(cacheDir, "etcd-modules");

export type ProxyAnswer = { served: true } | { served: false; reason: string };

/** Thrown when the Go toolchain itself is missing: the caller decides what that means for the run. */
export class NoGoToolchain extends Error {}

/** Asks the Go module proxy for the release's server module (a fraction of a second; no download). */
export async function servedByProxy(version: string): Promise<ProxyAnswer> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "etcd-module-"));
  try {
    await go(["list", "-m", "-json", `${serverModule}@v${version}`], scratch, 60_000);
    return { served: true };
  } catch (error) {
    if (error instanceof NoGoToolchain) throw error;
    return { served: false, reason: lastLine(error) };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** The releases the module proxy lists for the server module (it may serve more than it lists). */
export async function listedByProxy(): Promise<string[]> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "etcd-module-"));
  try {
    const out = await go(["list", "-m", "-versions", serverModule], scratch, 60_000);
    return out.trim().split(/\s+/).slice(1).map((version) => version.replace(/^v/, ""));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Releases resolved before, whose go.mod and go.sum the cache keeps. */
export function cachedModules(): string[] {
  if (!fs.existsSync(modulesDir)) return [];
  return fs.readdirSync(modulesDir).filter((name) => /^v\d/.test(name) && cachedModuleDir(name.slice(1))).map((name) => name.slice(1));
}

/** The cached module folder (go.mod, go.sum, main.go) of a release resolved before, if any. */
export function cachedModuleDir(version: string): string | undefined {
  const dir = path.join(modulesDir, `v${version}`);
  return fs.existsSync(path.join(dir, "go.sum")) ? dir : undefined;
}

/**
 * Resolves the release's dependencies through the module proxy (`go mod tidy`) into the cache, where
 * later builds find them; returns the folder. Written aside and renamed, so a half-done resolution is never taken.
 */
export async function resolveModule(version: string): Promise<string> {
  const cached = cachedModuleDir(version);
  if (cached) return cached;
  fs.mkdirSync(modulesDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(modulesDir, `.v${version}-`));
  try {
    fs.copyFileSync(etcdMainGo, path.join(work, "main.go"));
    fs.writeFileSync(path.join(work, "go.mod"), `module etcd-harness.local/etcd\n\ngo 1.21\n\nrequire ${serverModule} v${version}\n`);
    await go(["mod", "tidy"], work, 600_000).catch((error: unknown) => {
      if (error instanceof NoGoToolchain) throw error;
      throw new Error(`step "go mod tidy" (resolving ${serverModule}@v${version}'s dependencies through the Go module proxy) failed: ${lastLine(error)}`);
    });
    const dir = path.join(modulesDir, `v${version}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(work, dir);
    return dir;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Runs the go command in `cwd` (modules resolved as needed); NoGoToolchain when there is none. */
export async function go(args: string[], cwd: string, timeoutMs: number): Promise<string> {
  try {
    const { stdout } = await run("go", args, { cwd, timeout: timeoutMs, maxBuffer: 64 << 20, env: { ...process.env, GOFLAGS: "-mod=mod" } });
    return stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new NoGoToolchain("no Go toolchain on PATH");
    throw error;
  }
}

/** Go's own words, without the module path and proxy address it repeats ("403 Forbidden: This module version is not available."). */
export function lastLine(error: unknown): string {
  const stderr = (error as { stderr?: string }).stderr?.trim();
  const lines = (stderr || (error instanceof Error ? error.message : String(error))).split("\n").map((line) => line.trim()).filter(Boolean);
  return lines
    .slice(-2)
    .join(" ")
    .replace(/^go: \S+: /, "")
    .replace(/reading https?:\/\/\S+: /, "")
    .replace(/\s*server response:\s*/, ": ");
}
