// `harness images`: the etcd images built here, and the releases that can be built on first use.
import type { Command } from "commander";
import { docker, engineStatus } from "../../harness/engine/docker-engine.ts";
import { etcdVersions } from "../../harness/images/catalog.ts";
import { recipeLabel } from "../../harness/images/docker-build.ts";
import { compareReleases, debianRelease, failpointsVariant, pinnedReleases, supportedSeries } from "../../harness/images/etcd-releases.ts";
import { cachedModules, listedByProxy } from "../../harness/images/etcd-modules.ts";

export function addImagesCommand(program: Command): void {
  program
    .command("images")
    .description("list the etcd images built here and the releases that can be built on first use")
    .addHelpText("after", ["", "Examples:", "  harness images", "  harness run partition-minority --etcd 3.5.21   # builds 3.5.21 if it is not listed as built"].join("\n"))
    .action(async () => {
      for (const line of await imagesReport()) console.log(line);
    });
}

export async function imagesReport(): Promise<string[]> {
  const lines: string[] = [];
  const engine = await engineStatus();
  if (engine.ok) {
    const images = await docker().listImages({ filters: { reference: ["etcd-harness/etcd", "etcd-harness/etcd-source"] } });
    const built = images
      .flatMap((image) => (image.RepoTags ?? []).map((tag) => ({ tag, created: image.Created, size: image.Size, recipe: image.Labels?.[recipeLabel] })))
      .sort((a, b) => compareTags(a.tag, b.tag));
    lines.push(`built in this engine (${built.length}):`);
    for (const image of built) lines.push(`  ${image.tag.padEnd(44)} ${(image.size / 1e6).toFixed(0).padStart(4)} MB  built ${new Date(image.created * 1000).toISOString().slice(0, 16).replace("T", " ")}`);
  } else {
    lines.push(`built in this engine: unknown, no engine answers (${engine.reason}); \`npm run setup\` starts one`);
  }
  lines.push(`set-up builds: ${etcdVersions.join(", ")} (${debianRelease} from Debian's etcd-server package)`);
  lines.push(`pinned in the repo (harness/images/etcd): ${pinnedReleases().join(", ")}`);
  const cached = cachedModules().sort(compareReleases).reverse();
  lines.push(`resolved on demand before (.cache/etcd-modules): ${cached.length > 0 ? cached.join(", ") : "none"}`);
  const onDemand = supportedSeries.filter((series) => series !== "3.4").map((series) => `${series}.x`);
  try {
    const listed = (await listedByProxy()).filter((version) => onDemand.some((series) => version.startsWith(series.slice(0, -1)))).sort(compareReleases).reverse();
    lines.push(`can be built on first use: any ${onDemand.join(", ")} release the Go module proxy serves; it lists ${listed.join(", ")} (and may serve more)`);
  } catch (error) {
    lines.push(`can be built on first use: any ${onDemand.join(", ")} release the Go module proxy serves (it could not be asked: ${error instanceof Error ? error.message : String(error)})`);
  }
  lines.push(`failpoints builds: <release>${failpointsVariant} of any of these (not ${debianRelease}), built on first use with etcd's gofail failpoints enabled`);
  lines.push(`not here: 3.4.x other than ${debianRelease} (etcd 3.4's module path has no /v3, so its tags are no Go module versions); releases before 3.4 or after 3.7`);
  return lines;
}

function compareTags(a: string, b: string): number {
  const [repoA = "", tagA = ""] = a.split(":");
  const [repoB = "", tagB = ""] = b.split(":");
  if (repoA !== repoB) return repoA.localeCompare(repoB);
  return /^\d/.test(tagA) && /^\d/.test(tagB) ? compareReleases(tagB, tagA) : tagA.localeCompare(tagB);
}
