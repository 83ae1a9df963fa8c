// The etcd a run tested, in words every report file uses: the build (release, source tree or image), members on other releases, the flags.
import { describeBuild } from "../record/etcd-build.ts";
import type { RunResults } from "../record/results.ts";

type EtcdFields = Pick<RunResults, "etcd" | "build" | "memberVersions" | "etcdFlags" | "memberEtcdFlags">;

/**
 * "etcd issue 14370 (one-member cluster ...): buggy on 3.5.4, fixed in 3.5.5; this run's 3.5.4 has the bug",
 * or undefined when the scenario is not a regression.
 */
export function regressionPhrase(results: Pick<RunResults, "etcd" | "scenarioSpec">): string | undefined {
  const regression = results.scenarioSpec?.regression;
  if (!regression) return undefined;
  const release = (version: string): string => version.replace(/\+.*$/, "");
  const ran = release(results.etcd);
  const verdictOfRelease =
    ran === release(regression.buggy) ? `this run's ${ran} has the bug` : ran === release(regression.fixed) ? `this run's ${ran} has the fix` : `this run ran ${ran}`;
  return `etcd issue ${regression.issue} (${regression.bug}): buggy on ${regression.buggy}, fixed in ${regression.fixed}; ${verdictOfRelease}`;
}

/** "etcd 3.6.16 from image my/etcd:v1 (n3 on 3.5.35)". */
export function etcdPhrase(results: EtcdFields): string {
  const members = Object.entries(results.memberVersions ?? {}).map(([name, version]) => ` (${name} on ${version})`).join("");
  return `${describeBuild(results.etcd, results.build)}${members}`;
}

/** "--heartbeat-interval=100 --election-timeout=1000; n2: --snapshot-count=500", or "" when the members got none beyond the harness's own. */
export function flagsPhrase(results: EtcdFields): string {
  const common = (results.etcdFlags ?? []).join(" ");
  const own = Object.entries(results.memberEtcdFlags ?? {}).map(([member, flags]) => `${member}: ${flags.join(" ")}`);
  return [common, ...own].filter(Boolean).join("; ");
}
