// etcd's own load generator (tools/benchmark), built from etcd's Go module through the module proxy into the project's cache, once.
//
// The tool lives in etcd's root module, whose go.mod replaces its siblings with local folders, so it
// cannot be `go install`ed; a module of our own that requires the root module at a release builds it
// with the published siblings instead.
import fs from "node:fs";
import path from "node:path";
import { go } from "../harness/images/etcd-modules.ts";
import { cacheDir } from "../harness/paths.ts";

/** A release of etcd's root module the proxy serves (not every release's root module is served). */
export const benchmarkToolRelease = "3.6.5";

/** The tool's path, built on first use (about a minute). */
export async function etcdBenchmarkTool(say: (line: string) => void): Promise<string> {
  const dir = path.join(cacheDir, "etcd-benchmark", `v${benchmarkToolRelease}`);
  const binary = path.join(dir, "benchmark");
  if (fs.existsSync(binary)) return binary;
  say(`building etcd's benchmark tool from go.etcd.io/etcd/v3@v${benchmarkToolRelease} (once, about a minute)`);
  const work = `${dir}.partial`;
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  await go(["mod", "init", "etcd-benchmark"], work, 60_000);
  await go(["get", `go.etcd.io/etcd/v3@v${benchmarkToolRelease}`], work, 600_000);
  await go(["build", "-o", path.join(work, "benchmark"), "go.etcd.io/etcd/v3/tools/benchmark"], work, 900_000);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(work, dir);
  return binary;
}
