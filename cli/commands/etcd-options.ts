// The options that choose the etcd a run tests (a release, a source tree, an image), its members' releases and its flags.
import type { Command } from "commander";
import { usageError } from "../../harness/errors.ts";
import { etcdVersions, onDemandEtcdVersions } from "../../harness/images/catalog.ts";
import { checkSourceLayout } from "../../harness/images/etcd-source.ts";
import type { EtcdRequest } from "../../harness/images/prepare-etcd.ts";
import { checkRelease } from "../../harness/images/release-check.ts";
import { defaultEtcdVersion } from "../../harness/images/run-images.ts";
import type { Scenario } from "../../scenarios/scenario.ts";
import { etcdFlag, memberEtcdFlag, memberVersion } from "./options.ts";

export interface EtcdOptions {
  etcd?: string;
  etcdSource?: string;
  etcdImage?: string;
  etcdBinary?: string;
  memberEtcd?: Record<string, string>;
  etcdFlag?: string[];
  memberEtcdFlag?: Record<string, string[]>;
}

export function addEtcdOptions(command: Command): Command {
  return command
    .option(
      "--etcd <version>",
      `etcd release: any 3.5.x-3.7.x the Go module proxy serves, built on first use, or 3.4.23; <release>+failpoints for its gofail failpoints; set-up builds ${etcdVersions.join(", ")} (${onDemandEtcdVersions.join(", ")} pinned too); default: the newest built`,
    )
    .option("--etcd-source <dir>", "build etcd from your checkout (etcd's layout: server/, api/, ...); rebuilt when its commit or uncommitted changes change")
    .option("--etcd-image <reference>", "run the members from your own image (from the local engine, or pulled where a registry answers)")
    .option("--etcd-binary <path>", "with --etcd-image: where etcd is inside it (found by default)")
    .option("--member-etcd <member=version>", "run one member on another release, e.g. n3=3.6.16 for a cluster mid-upgrade (repeatable)", memberVersion)
    .option("--etcd-flag <name=value>", "an etcd flag for every member, e.g. heartbeat-interval=100 (repeatable; wins over the scenario's)", etcdFlag)
    .option("--member-etcd-flag <member:name=value>", "an etcd flag for one member, e.g. n2:snapshot-count=500 (repeatable)", memberEtcdFlag);
}

/**
 * The etcd the options ask for, the scenario's choices filling what they leave out (its release, its
 * members' releases); exit 64 for a contradiction, a member the cluster lacks, or a release that cannot be had.
 */
export async function etcdRequestOf(options: EtcdOptions, nodes: number, scenario: Scenario["etcd"] = {}): Promise<EtcdRequest> {
  const chosen = [options.etcd !== undefined && "--etcd", options.etcdSource !== undefined && "--etcd-source", options.etcdImage !== undefined && "--etcd-image"].filter(Boolean);
  if (chosen.length > 1) throw usageError(`${chosen.join(" and ")}: choose one etcd to run (--member-etcd puts single members on other releases)`);
  if (options.etcdBinary !== undefined && options.etcdImage === undefined) throw usageError("--etcd-binary goes with --etcd-image: it says where etcd is inside that image");
  for (const [flag, members] of [
    ["--member-etcd", Object.keys({ ...scenario.members, ...options.memberEtcd })],
    ["--member-etcd-flag", Object.keys(options.memberEtcdFlag ?? {})],
  ] as const) {
    const outside = members.filter((name) => Number(name.slice(1)) < 1 || Number(name.slice(1)) > nodes);
    if (outside.length > 0) throw usageError(`${flag} ${outside.join(",")}: the cluster has members n1 to n${nodes}`);
  }
  const memberVersions: Record<string, string> = {};
  for (const [member, version] of Object.entries({ ...scenario.members, ...options.memberEtcd })) memberVersions[member] = await checkRelease(version, `--member-etcd ${member}=${version}`);
  const release = options.etcd ?? (options.etcdSource === undefined && options.etcdImage === undefined ? scenario.release : undefined);
  if (options.etcdSource !== undefined) checkSourceLayout(options.etcdSource);
  const build: EtcdRequest["build"] =
    options.etcdSource !== undefined
      ? { kind: "source", dir: options.etcdSource }
      : options.etcdImage !== undefined
        ? { kind: "image", image: options.etcdImage, ...(options.etcdBinary !== undefined ? { binary: options.etcdBinary } : {}) }
        : { kind: "release", version: release !== undefined ? await checkRelease(release) : await defaultEtcdVersion() };
  return {
    build,
    ...(Object.keys(memberVersions).length > 0 ? { memberVersions } : {}),
    ...(options.etcdFlag ? { flags: options.etcdFlag } : {}),
    ...(Object.keys(options.memberEtcdFlag ?? {}).length > 0 ? { memberFlags: options.memberEtcdFlag } : {}),
  };
}
