// The images one run needs, and the etcd version a run uses when none is named.
import { ensureEngine } from "../engine/docker-engine.ts";
import { etcdImage, etcdutlImage, etcdVersions, reaperImage, recipeFor, toxiproxyImage } from "./catalog.ts";
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

/**
 * Builds the release's etcdutl image unless it is current (a release other than the pinned ones is resolved
 * through the module proxy the first time) and returns its reference; a release before 3.5 has none (Error).
 */
export async function ensureEtcdutlImage(version: string, say: (line: string) => void): Promise<string> {
  const ref = etcdutlImage(version);
  await ensureImages(say, [ref]);
  return ref;
}
