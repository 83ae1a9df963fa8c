// Whether a run can use the etcd release it names, decided before anything starts.
import { unavailableError, usageError } from "../errors.ts";
import { imageRecipe } from "./docker-build.ts";
import { etcdImage } from "./catalog.ts";
import { parseRelease, releaseOf, releaseSource } from "./etcd-releases.ts";
import { cachedModuleDir, NoGoToolchain, servedByProxy, serverModule } from "./etcd-modules.ts";

/**
 * The release `text` names, normalized ("v3.5.21" -> "3.5.21"). A release that does not exist, is
 * outside the series the harness runs, or cannot be built here is a usage error (exit 64); one that
 * would need Go to build when there is none, an environment error (exit 69).
 */
export async function checkRelease(text: string, label = `--etcd ${text}`): Promise<string> {
  const parsed = parseRelease(text);
  if ("error" in parsed) throw usageError(`${label}: ${parsed.error}`);
  const { version } = parsed;
  const source = releaseSource(version);
  if (source.kind === "unbuildable") throw usageError(`${label}: ${source.reason}`);
  const { release } = releaseOf(version);
  if (source.kind !== "module" || cachedModuleDir(release) || (await imageRecipe(etcdImage(version)).catch(() => undefined)) !== undefined) return version;
  let answer;
  try {
    answer = await servedByProxy(release);
  } catch (error) {
    if (error instanceof NoGoToolchain) throw unavailableError(`${label}: etcd ${version} is built from its Go module, and there is no Go toolchain on PATH; install Go >= 1.21`);
    throw error;
  }
  if (!answer.served) {
    throw usageError(
      `${label}: the Go module proxy does not serve ${serverModule}@v${release} (${answer.reason}): not a published release, or not one this proxy mirrors; \`harness images\` lists what can be built`,
    );
  }
  return version;
}
