// Where the reference histories of ../shared/data/histories are, whichever checkout the tests run from.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const relative = path.join("shared", "data", "histories");

/**
 * The folder of reference histories. CI checks the project out with ../shared beside it; a clone made
 * elsewhere (say in a temporary folder) finds it beside the repository it was cloned from.
 * REFERENCE_HISTORIES overrides both. Throws, rather than letting tests pass without the data.
 */
export function referenceHistoriesDir(): string {
  const candidates = [
    process.env["REFERENCE_HISTORIES"],
    path.resolve(repoRoot, "..", relative),
    originSibling(),
  ].filter((candidate): candidate is string => candidate !== undefined);
  const found = candidates.find((candidate) => fs.existsSync(path.join(candidate, "expected.tsv")));
  if (!found) throw new Error(`reference histories not found (looked in ${candidates.join(", ")}); set REFERENCE_HISTORIES`);
  return found;
}

function originSibling(): string | undefined {
  try {
    const origin = execFileSync("git", ["remote", "get-url", "origin"], { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    return path.isAbsolute(origin) ? path.resolve(origin, "..", relative) : undefined;
  } catch {
    return undefined;
  }
}
