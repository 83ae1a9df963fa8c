// The etcd a stored run used, asked for again: the same release, source tree or image, member releases and flags.
import type { EtcdRequest } from "../harness/images/prepare-etcd.ts";
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
