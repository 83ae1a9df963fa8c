// Gets the etcd a run asked for ready before any cluster container starts: images built or found, its release known, every flag accepted by the binary.
import type { EtcdBuild, EtcdBuildRequest } from "../../record/etcd-build.ts";
import { mergeFlags } from "../cluster/member-flags.ts";
import { ensureEngine } from "../engine/docker-engine.ts";
import { usageError } from "../errors.ts";
import { etcdImage, reaperImage, toxiproxyImage } from "./catalog.ts";
import { ensureImages, ensureRecipe } from "./ensure-images.ts";
import { probeEtcd } from "./etcd-probe.ts";
import { sourceRecipe, sourceTree } from "./etcd-source.ts";
import { userImage } from "./user-image.ts";

export interface EtcdRequest {
  build: EtcdBuildRequest;
  /** Members on another release (a mixed cluster). */
  memberVersions?: Record<string, string>;
  /** The user's flags for every member, and for single members; they win over the scenario's. */
  flags?: string[];
  memberFlags?: Record<string, string[]>;
}

export interface PreparedEtcd {
  /** The release the members run, as their etcd reports it. */
  version: string;
  build: EtcdBuild;
  /** The image every member runs unless it has a release of its own; absent for a release build. */
  image?: { ref: string; binary?: string };
  memberVersions: Record<string, string>;
  /** The scenario's flags overridden by the user's, for every member; and per member on top. */
  etcdFlags: string[];
  memberEtcdFlags: Record<string, string[]>;
}

/** Where each flag came from, to name it in an error the way the user gave it. */
function origin(flag: string, request: EtcdRequest, member: string): string {
  if ((request.memberFlags?.[member] ?? []).includes(flag)) return `--member-etcd-flag ${member}:${flag.replace(/^--/, "")}`;
  if ((request.flags ?? []).includes(flag)) return `--etcd-flag ${flag.replace(/^--/, "")}`;
  return `the scenario's ${flag}`;
}

/**
 * Starts the engine, builds or finds every image the members need, and asks each member's etcd (in a
 * throwaway container) for its version with all its flags: a flag the release does not know is a usage
 * error (exit 64) naming it, before the cluster exists.
 */
export async function prepareEtcd(
  request: EtcdRequest,
  scenario: { flags?: readonly string[]; memberFlags?: Record<string, string[]> },
  members: string[],
  say: (line: string) => void,
): Promise<PreparedEtcd> {
  await ensureEngine(say);
  const memberVersions = request.memberVersions ?? {};
  const releases = [...(request.build.kind === "release" ? [request.build.version] : []), ...Object.values(memberVersions)];
  await ensureImages(
    (line) => {
      if (!line.endsWith("in place")) say(line);
    },
    [reaperImage, toxiproxyImage, ...new Set(releases.map(etcdImage))],
  );
  let build: EtcdBuild;
  let image: PreparedEtcd["image"];
  if (request.build.kind === "source") {
    const tree = await sourceTree(request.build.dir);
    await ensureRecipe(say, sourceRecipe(tree));
    build = { kind: "source", dir: tree.dir, commit: tree.commit, changes: tree.changes, image: tree.ref };
    image = { ref: tree.ref };
  } else if (request.build.kind === "image") {
    const found = await userImage(request.build.image, request.build.binary);
    build = { kind: "image", image: found.ref, binary: found.binary, imageId: found.id };
    image = { ref: found.ref, binary: found.binary };
  } else {
    build = { kind: "release", version: request.build.version };
  }
  const etcdFlags = mergeFlags(scenario.flags ?? [], request.flags ?? []);
  const memberEtcdFlags: Record<string, string[]> = {};
  for (const member of new Set([...Object.keys(scenario.memberFlags ?? {}), ...Object.keys(request.memberFlags ?? {})])) {
    memberEtcdFlags[member] = mergeFlags(scenario.memberFlags?.[member] ?? [], request.memberFlags?.[member] ?? []);
  }
  const imageOf = (member: string) => (memberVersions[member] ? { ref: etcdImage(memberVersions[member]) } : (image ?? { ref: etcdImage((build as { version: string }).version) }));
  // One probe per distinct image and flag set; a release with no flags to check needs none.
  const groups = new Map<string, { member: string; ref: string; binary?: string; flags: string[] }>();
  for (const member of members) {
    const { ref, binary } = imageOf(member);
    const flags = mergeFlags(etcdFlags, memberEtcdFlags[member] ?? []);
    const key = JSON.stringify([ref, binary, flags]);
    if (!groups.has(key)) groups.set(key, { member, ref, ...(binary ? { binary } : {}), flags });
  }
  let version = build.kind === "release" ? build.version : undefined;
  const refusals: string[] = [];
  for (const group of groups.values()) {
    const ownsImage = !memberVersions[group.member];
    if (group.flags.length === 0 && !(ownsImage && version === undefined)) continue;
    const probe = await probeEtcd(group.ref, group.binary, group.flags);
    if (ownsImage && version === undefined) version = probe.version;
    for (const { flag, reason } of probe.refused) refusals.push(`${origin(flag, request, group.member)}: etcd ${probe.version} (${group.ref}) refused it: ${reason}`);
  }
  if (version === undefined) version = (await probeEtcd(image!.ref, image!.binary, etcdFlags)).version;
  if (refusals.length > 0) throw usageError(`${[...new Set(refusals)].join("; ")}; \`etcd --help\` of that release lists the flags it knows`);
  return { version, build, ...(image ? { image } : {}), memberVersions, etcdFlags, memberEtcdFlags };
}
