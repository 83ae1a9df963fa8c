// Builds an image from a prepared context folder through the engine's API (no docker CLI, no registry).
import fs from "node:fs";
import path from "node:path";
import { docker } from "../engine/docker-engine.ts";

/** Label that records which recipe built an image, so set-up can tell a stale image from a current one. */
export const recipeLabel = "etcd-harness.recipe";

export async function buildImage(contextDir: string, ref: string): Promise<void> {
  const files = listFiles(contextDir);
  const stream = await docker().buildImage({ context: contextDir, src: files }, { t: ref, forcerm: true });
  await new Promise<void>((resolve, reject) => {
    docker().modem.followProgress(stream, (error: Error | null, events: Array<{ error?: string }>) => {
      const failed = error?.message ?? events.find((event) => event.error)?.error;
      if (failed) reject(new Error(`docker build of ${ref} failed: ${failed}`));
      else resolve();
    });
  });
}

/** The recipe hash an image carries, or undefined when the image is absent. */
export async function imageRecipe(ref: string): Promise<string | undefined> {
  try {
    const info = await docker().getImage(ref).inspect();
    return info.Config?.Labels?.[recipeLabel] ?? "";
  } catch {
    return undefined;
  }
}

function listFiles(dir: string, prefix = ""): string[] {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(prefix, entry.name);
    return entry.isDirectory() ? listFiles(dir, relative) : [relative];
  });
}
