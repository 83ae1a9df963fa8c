// The images one run needs, and the etcd version a run uses when none is named.
import { ensureEngine } from "../engine/docker-engine.ts";
import { etcdImage, etcdVersions, reaperImage, recipeFor, toxiproxyImage } from "./catalog.ts";
import { ensureImages, imageState } from "./ensure-images.ts";

/** The newest etcd release whose image is built here; the newest release when none is. */
export async function defaultEtcdVersion(): Promise<string> {
  for (const version of etcdVersions) {
    if ((await imageState(recipeFor(etcdImage(version)))) === "current") return version;
  }
  return etcdVersions[0];
}

/** Starts the engine if it can and builds whatever image the run lacks (exit 69 when neither works). */
export async function prepareRunEnvironment(etcdVersionsNeeded: string[], say: (line: string) => void): Promise<void> {
  await ensureEngine(say);
  const refs = [reaperImage, toxiproxyImage, ...etcdVersionsNeeded.map(etcdImage)];
  await ensureImages((line) => {
    if (!line.endsWith("in place")) say(line);
  }, refs);
}
