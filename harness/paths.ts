// Where the project keeps its sources, its build cache and the reports of generated runs.
import os from "node:os";
import path from "node:path";

// Run from its TypeScript sources this is the repo, which keeps both git-ignored folders; built into dist/ (an installed
// package), the cache goes to $ETCD_HARNESS_CACHE or ~/.cache/etcd-chaos-harness and runs to the working directory.
const fromSource = import.meta.filename.endsWith(".ts");

export const projectRoot = path.resolve(import.meta.dirname, fromSource ? ".." : "../..");
/** Build work, downloaded packages and the Docker engine's log; git-ignored. */
export const cacheDir = fromSource
  ? path.join(projectRoot, ".cache")
  : (process.env["ETCD_HARNESS_CACHE"] ?? path.join(os.homedir(), ".cache", "etcd-chaos-harness"));
/** Default parent folder of run reports; git-ignored. */
export const defaultRunsDir = fromSource ? path.join(projectRoot, "runs") : path.resolve("runs");
