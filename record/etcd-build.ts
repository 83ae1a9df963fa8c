// Which etcd the members ran: a release the harness builds, the user's source tree, or the user's image; and the flags they got.
import { z } from "zod";

export const etcdBuildSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("release"), version: z.string().min(1) }),
  z.object({
    kind: z.literal("source"),
    /** The checkout, as given (absolute). */
    dir: z.string().min(1),
    /** Its commit, "none" outside git; `changes` hashes what was not committed ("clean" when nothing). */
    commit: z.string().min(1),
    changes: z.string().min(1),
    /** The image built from it. */
    image: z.string().min(1),
  }),
  z.object({
    kind: z.literal("image"),
    image: z.string().min(1),
    /** Where etcd is inside it. */
    binary: z.string().min(1),
    /** The engine's id of the image the run used. */
    imageId: z.string().optional(),
  }),
]);
export type EtcdBuild = z.infer<typeof etcdBuildSchema>;

/** What a run asks for: a release by version, a source tree by folder, an image by reference (its binary found unless given). */
export type EtcdBuildRequest = { kind: "release"; version: string } | { kind: "source"; dir: string } | { kind: "image"; image: string; binary?: string };

/** The build in one phrase: "etcd 3.7.3", "etcd 3.6.16 from ~/etcd at 1a2b3c4d5e6f (uncommitted changes)", "etcd 3.5.9 from image my/etcd:v1". */
export function describeBuild(version: string, build: EtcdBuild | undefined): string {
  if (!build || build.kind === "release") return `etcd ${version}`;
  if (build.kind === "image") return `etcd ${version} from image ${build.image}`;
  const at = build.commit === "none" ? "" : ` at ${build.commit.slice(0, 12)}`;
  return `etcd ${version} from ${build.dir}${at}${build.changes === "clean" ? "" : " (uncommitted changes)"}`;
}
