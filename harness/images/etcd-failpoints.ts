// The failpoints build of a release: etcd's server module with its `// gofail:` comments made failpoints, as etcd's robustness suite builds it.
//
// Failpoints the release lacks but later ones have (added-failpoints.ts) are put in first, so a bug
// fixed before a failpoint existed can still be reached through it.
// The Go module zip keeps those comments, so the module is copied out of the module cache, `gofail
// enable` rewrites every folder that has them (it does not recurse), and the build module points at
// the copy with a replace directive. The binary serves gofail's HTTP API where GOFAIL_HTTP says.
import fs from "node:fs";
import path from "node:path";
import { addMissingFailpoints } from "./added-failpoints.ts";
import { go, lastLine, serverModule } from "./etcd-modules.ts";

/** The gofail release that rewrites the comments and whose runtime the binary links. */
export const gofailVersion = "0.2.0";

/** The image label listing the failpoints the binary has, comma-separated. */
export const failpointsLabel = "etcd-harness.failpoints";

/** Where a failpoints build serves gofail's HTTP API inside its pod (never through a link proxy). */
export const gofailPort = 22381;

/**
 * Turns `workDir` (go.mod, go.sum and main.go of the release) into a build module with failpoints;
 * returns the failpoints' names, sorted. Each step that fails names itself.
 */
export async function enableFailpoints(workDir: string, release: string): Promise<string[]> {
  const step = async <T>(name: string, what: string, action: () => Promise<T>): Promise<T> =>
    action().catch((error: unknown) => {
      throw new Error(`step "${name}" (${what}) failed: ${lastLine(error)}`);
    });
  const downloaded = await step("go mod download", `fetching ${serverModule}@v${release}`, () => go(["mod", "download", "-json", `${serverModule}@v${release}`], workDir, 600_000));
  const moduleDir = (JSON.parse(downloaded) as { Dir?: string }).Dir;
  if (!moduleDir) throw new Error(`step "go mod download" (fetching ${serverModule}@v${release}) gave no folder: ${downloaded.slice(0, 200)}`);
  const server = path.join(workDir, "server");
  fs.cpSync(moduleDir, server, { recursive: true });
  makeWritable(server);
  addMissingFailpoints(server);
  const folders = failpointFolders(server);
  if (folders.length === 0) throw new Error(`step "gofail enable" found no // gofail: comment in ${serverModule}@v${release}`);
  await step("gofail enable", `go.etcd.io/gofail@v${gofailVersion} on ${folders.join(", ")}`, () => go(["run", `go.etcd.io/gofail@v${gofailVersion}`, "enable", ...folders], server, 600_000));
  fs.appendFileSync(path.join(workDir, "go.mod"), `\nreplace ${serverModule} => ./server\n`);
  // The rewritten files import gofail's runtime: the build module requires the same release as the tool
  // (older ones, which some releases' dependencies bring, cannot count a failpoint's hits), and tidy adds its sums.
  await step("go get", `go.etcd.io/gofail@v${gofailVersion} for etcd ${release}'s build`, () => go(["get", `go.etcd.io/gofail@v${gofailVersion}`], workDir, 600_000));
  await step("go mod tidy", `adding go.etcd.io/gofail to etcd ${release}'s build`, () => go(["mod", "tidy"], workDir, 600_000));
  return failpointNames(server);
}

/** Folders (relative to `root`) holding a Go file with a gofail comment. */
function failpointFolders(root: string): string[] {
  const folders = new Set<string>();
  for (const file of goFiles(root)) if (fs.readFileSync(file, "utf8").includes("// gofail:")) folders.add(path.relative(root, path.dirname(file)) || ".");
  return [...folders].sort();
}

/** The failpoints `gofail enable` declared (`runtime.NewFailpoint("name")`), sorted. */
function failpointNames(root: string): string[] {
  const names = new Set<string>();
  for (const file of goFiles(root).filter((name) => name.endsWith(".fail.go"))) {
    for (const match of fs.readFileSync(file, "utf8").matchAll(/NewFailpoint\("([^"]+)"\)/g)) names.add(match[1]!);
  }
  return [...names].sort();
}

function goFiles(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true, encoding: "utf8" }) as string[]).filter((name) => name.endsWith(".go")).map((name) => path.join(root, name));
}

/** The module cache keeps its files read-only; gofail rewrites them in place. */
function makeWritable(root: string): void {
  fs.chmodSync(root, 0o755);
  for (const entry of fs.readdirSync(root, { recursive: true, encoding: "utf8" }) as string[]) {
    const file = path.join(root, entry);
    fs.chmodSync(file, fs.statSync(file).isDirectory() ? 0o755 : 0o644);
  }
}
