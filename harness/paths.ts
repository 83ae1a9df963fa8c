// Where the project keeps its sources, its build cache and the reports of generated runs.
import path from "node:path";

export const projectRoot = path.resolve(import.meta.dirname, "..");
/** Build work, downloaded packages and the Docker engine's log; git-ignored. */
export const cacheDir = path.join(projectRoot, ".cache");
/** Default parent folder of run reports; git-ignored. */
export const defaultRunsDir = path.join(projectRoot, "runs");
