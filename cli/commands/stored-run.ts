// A stored run as the commands read it: results.json validated by the record, and its etcd releases ones this harness can build.
import { usageError } from "../../harness/errors.ts";
import { parseRelease, releaseSource } from "../../harness/images/etcd-releases.ts";
import type { RunResults } from "../../record/results.ts";
import { readStoredResults } from "../../record/stored-run.ts";

/** The run in `dir`, for commands that run it again (replay, shrink): exit 64 when it is not a run, or names a release not built here. */
export function storedRunToRerun(dir: string): RunResults {
  const results = readStoredResults(dir);
  const releases = [...(!results.build || results.build.kind === "release" ? [results.build?.version ?? results.etcd] : []), ...Object.values(results.memberVersions ?? {})];
  for (const version of releases) {
    const parsed = parseRelease(version);
    const source = "error" in parsed ? undefined : releaseSource(parsed.version);
    if (!source || source.kind === "unbuildable") throw usageError(`${dir}/results.json: etcd ${version} is not a release this harness builds`);
  }
  return results;
}
