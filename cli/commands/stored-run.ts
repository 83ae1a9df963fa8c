// A stored run as the commands read it: results.json validated by the record, and its etcd releases ones this harness can build.
import { usageError } from "../../harness/errors.ts";
import { isEtcdVersion } from "../../harness/images/catalog.ts";
import type { RunResults } from "../../record/results.ts";
import { readStoredResults } from "../../record/stored-run.ts";

/** The run in `dir`, for commands that run it again (replay, shrink): exit 64 when it is not a run, or names a release not built here. */
export function storedRunToRerun(dir: string): RunResults {
  const results = readStoredResults(dir);
  for (const version of [results.etcd, ...Object.values(results.memberVersions ?? {})]) {
    if (!isEtcdVersion(version)) throw usageError(`${dir}/results.json: etcd ${version} is not a release this harness builds`);
  }
  return results;
}
