// The etcd a stored run used, asked for again: the same release, source tree or image, member releases and flags.
import { usageError } from "../harness/errors.ts";
import { failpointsVariant, releaseOf } from "../harness/images/etcd-releases.ts";
import type { EtcdRequest } from "../harness/images/prepare-etcd.ts";
import type { Nemesis } from "../nemesis/nemesis.ts";
import type { EtcdBuildRequest } from "../record/etcd-build.ts";
import type { RunResults } from "../record/results.ts";

export function recordedEtcd(results: Pick<RunResults, "etcd" | "build" | "memberVersions" | "etcdFlags" | "memberEtcdFlags">): EtcdRequest {
  const build = results.build;
  const request: EtcdBuildRequest =
    !build || build.kind === "release"
      ? { kind: "release", version: build?.version ?? results.etcd }
      : build.kind === "source"
        ? { kind: "source", dir: build.dir }
        : { kind: "image", image: build.image, binary: build.binary };
  return {
    build: request,
    ...(results.memberVersions ? { memberVersions: results.memberVersions } : {}),
    // The recorded flags are the scenario's merged with the user's; merged again they come out the same.
    ...(results.etcdFlags ? { flags: results.etcdFlags } : {}),
    ...(results.memberEtcdFlags ? { memberFlags: results.memberEtcdFlags } : {}),
  };
}

/** Faults that arm failpoints need every member on a failpoints build: a usage error before anything is built or started. */
export function requireFailpoints(scenario: string, faults: readonly Nemesis[], etcd: EtcdRequest, members: string[]): void {
  const arming = [...new Set(faults.filter((fault) => fault.needsFailpoints).map((fault) => fault.name))];
  if (arming.length === 0) return;
  const release = etcd.build.kind === "release" ? etcd.build.version : undefined;
  const without = members.filter((member) => {
    const version = etcd.memberVersions?.[member] ?? release;
    return version === undefined || !releaseOf(version).failpoints;
  });
  if (without.length === 0) return;
  const what = release !== undefined ? `etcd ${etcd.memberVersions?.[without[0]!] ?? release}` : etcd.build.kind === "source" ? "a source build" : "the image given";
  const suggestion = release !== undefined ? `--etcd ${releaseOf(release).release}${failpointsVariant}` : `--etcd <release>${failpointsVariant}`;
  throw usageError(`${scenario} arms failpoints (${arming.join(", ")}), and ${without.join(",")} would run ${what}, a build without them: run it with ${suggestion}`);
}
