// Which etcd releases a run can name, and where each one's binary comes from.
import fs from "node:fs";
import path from "node:path";

/** Release series the harness runs: their clients, flags and status endpoints are what it speaks. */
export const supportedSeries = ["3.4", "3.5", "3.6", "3.7"] as const;

/** Debian 12's etcd-server package: the one 3.4 release that can be had here (see releaseSource). */
export const debianRelease = "3.4.23";

const pinnedDir = path.join(import.meta.dirname, "etcd");

export type ReleaseSource =
  /** go.mod and go.sum kept in the repo (harness/images/etcd/v<version>). */
  | { kind: "pinned"; moduleDir: string }
  /** Debian's etcd-server package. */
  | { kind: "debian" }
  /** Any release of go.etcd.io/etcd/server/v3 the Go module proxy serves, resolved at first use. */
  | { kind: "module" }
  | { kind: "unbuildable"; reason: string };

/** The build variant that turns etcd's gofail comments into failpoints (harness/images/etcd-failpoints.ts). */
export const failpointsVariant = "+failpoints";

/**
 * A release as `--etcd` takes it ("3.5.21", "v3.5.21", "3.7.0-rc.0", "3.7.3+failpoints"), normalized
 * without the "v"; or why it is not one the harness can run.
 */
export function parseRelease(text: string): { version: string } | { error: string } {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(-(?:alpha|beta|rc)\.\d+)?(\+failpoints)?$/.exec(text.trim());
  if (!match) return { error: `"${text}" is not an etcd release: expected a version such as 3.5.21, or 3.5.21${failpointsVariant} for its failpoints` };
  const [, major, minor, patch, pre = "", variant = ""] = match;
  const series = `${Number(major)}.${Number(minor)}`;
  const version = `${series}.${Number(patch)}${pre}${variant}`;
  if (!(supportedSeries as readonly string[]).includes(series)) {
    return { error: `etcd ${version} is not in a series the harness runs (${supportedSeries.map((s) => `${s}.x`).join(", ")})` };
  }
  return { version };
}

/** A version split into its release and whether it is the failpoints build: "3.7.3+failpoints" -> 3.7.3, true. */
export function releaseOf(version: string): { release: string; failpoints: boolean } {
  return version.endsWith(failpointsVariant) ? { release: version.slice(0, -failpointsVariant.length), failpoints: true } : { release: version, failpoints: false };
}

/** Where a supported release's binary comes from; a failpoints build comes from its release's Go module. */
export function releaseSource(version: string): ReleaseSource {
  const { release, failpoints } = releaseOf(version);
  if (failpoints) {
    const base = releaseSource(release);
    if (base.kind === "unbuildable") return base;
    if (base.kind === "debian") {
      return { kind: "unbuildable", reason: `etcd ${version} cannot be built: ${release} comes from Debian's package, a binary without failpoints, and etcd 3.4 is no Go module (see ${release} alone)` };
    }
    return base;
  }
  const moduleDir = path.join(pinnedDir, `v${version}`);
  if (fs.existsSync(path.join(moduleDir, "go.sum"))) return { kind: "pinned", moduleDir };
  if (version === debianRelease) return { kind: "debian" };
  if (version.startsWith("3.4.")) {
    return {
      kind: "unbuildable",
      reason:
        `etcd ${version} cannot be built here: etcd 3.4's go.mod names its module go.etcd.io/etcd without the /v3 suffix its v3.4.x tags need, ` +
        `so no 3.4 tag is a Go module version, and the module proxy serves no commit of it; the one 3.4 release available is Debian's ${debianRelease}`,
    };
  }
  return { kind: "module" };
}

/** Pinned releases, newest first. */
export function pinnedReleases(): string[] {
  return fs
    .readdirSync(pinnedDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^v\d/.test(entry.name))
    .map((entry) => entry.name.slice(1))
    .sort(compareReleases)
    .reverse();
}

/** Orders releases by version, a prerelease before its release. */
export function compareReleases(a: string, b: string): number {
  const parts = (version: string): [number[], string] => {
    const [core = "", pre = ""] = releaseOf(version).release.split("-");
    return [core.split(".").map(Number), pre];
  };
  const [coreA, preA] = parts(a);
  const [coreB, preB] = parts(b);
  for (let index = 0; index < 3; index++) {
    const difference = (coreA[index] ?? 0) - (coreB[index] ?? 0);
    if (difference !== 0) return difference;
  }
  if (preA === preB) return Number(releaseOf(a).failpoints) - Number(releaseOf(b).failpoints);
  if (preA === "") return 1;
  if (preB === "") return -1;
  return preA.localeCompare(preB, "en", { numeric: true });
}
