// The power-loss file system (powerloss/main.go): built once with the host's Go toolchain into the project's cache, copied into each member that needs it.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { unavailableError } from "../errors.ts";
import { cacheDir } from "../paths.ts";
import { goBuild } from "./go-build.ts";

const sourceDir = path.join(import.meta.dirname, "powerloss");

/** Where a member runs it, where its backing folder is, and where it answers how much it holds unsynced. */
export const powerlossFs = { binary: "/usr/local/bin/powerloss-fs", backingDir: "/var/lib/etcd-disk", controlPort: 22382 } as const;

/** The binary for this host's Go and the pinned sources, built when missing; its path. */
export async function ensurePowerlossFs(say: (line: string) => void): Promise<string> {
  if (!fs.existsSync("/dev/fuse")) throw unavailableError("power loss runs each member on a FUSE file system, and this host has no /dev/fuse: load the fuse module (modprobe fuse)");
  const hash = crypto.createHash("sha256");
  for (const name of ["main.go", "go.mod", "go.sum"]) hash.update(fs.readFileSync(path.join(sourceDir, name)));
  const binary = path.join(cacheDir, "powerloss-fs", hash.digest("hex").slice(0, 16), "powerloss-fs");
  if (fs.existsSync(binary)) return binary;
  const started = Date.now();
  say("powerloss-fs: building the power-loss file system (github.com/hanwen/go-fuse/v2 through the Go module proxy)");
  const partial = `${binary}.${process.pid}`;
  fs.mkdirSync(path.dirname(binary), { recursive: true });
  await goBuild({ moduleDir: sourceDir, packagePath: ".", output: partial }).catch((error: unknown) => {
    throw unavailableError(`powerloss-fs: step "go build" failed: ${error instanceof Error ? error.message : String(error)}`);
  });
  fs.renameSync(partial, binary);
  say(`powerloss-fs: built in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return binary;
}
