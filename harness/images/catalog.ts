// Every image the harness runs, with the recipe that builds it locally: etcd releases, their etcdutl, toxiproxy, the reaper.
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { cacheDir } from "../paths.ts";
import { recipeLabel } from "./docker-build.ts";
import { addedFailpointsFingerprint } from "./added-failpoints.ts";
import { enableFailpoints, failpointsLabel, gofailVersion } from "./etcd-failpoints.ts";
import { debianRelease, failpointsVariant, releaseOf, releaseSource } from "./etcd-releases.ts";
import { etcdMainGo, resolveModule, serverModule } from "./etcd-modules.ts";
import { etcdutlModule, etcdutlRelease, pinnedEtcdutlModuleDir, resolveEtcdutlModule } from "./etcdutl-module.ts";
import { goBuild } from "./go-build.ts";

const run = promisify(execFile);
const sourcesDir = import.meta.dirname;

export interface ImageRecipe {
  ref: string;
  /** What the image is, for set-up and doctor output. */
  title: string;
  /** Where its bits come from. */
  origin: string;
  /** Hash of everything that shapes the image; a change triggers a rebuild. */
  hash: string;
  /** Left out of `npm run setup`: built when a run needs it. */
  onDemand?: boolean;
  /** Fills an empty folder with a Dockerfile and the files it copies. */
  prepare(contextDir: string, workDir: string): Promise<void>;
}

/** etcd releases `npm run setup` builds, newest first; the first one built is the default. */
export const etcdVersions = ["3.7.3", "3.6.16", "3.5.35", "3.4.23"] as const;
/**
 * Releases pinned in the repo to keep a bug they had (3.5.2, etcd issue 13766) and the release that
 * fixed it (3.5.3), for runs of them without failpoints; set-up leaves them out (each costs a minute of building) and the first run that
 * names one builds it. Any other release the Go module proxy serves is resolved and built the same way.
 */
export const onDemandEtcdVersions = ["3.5.3", "3.5.2"] as const;
/** The etcdutl `npm run setup` builds: the default release's (pinned in harness/images/etcdutl); any other is built on first use. */
export const etcdutlVersions = [etcdVersions[0]] as const;

export const toxiproxyVersion = "2.12.0";
const reaperVersion = "1";
const debianEtcd = { version: debianRelease, package: "etcd-server", binary: "usr/bin/etcd" };

/** The image of a release; a failpoints build is tagged "<release>-failpoints" (a tag has no "+"). */
export const etcdImage = (version: string): string => `etcd-harness/etcd:${version.replace(failpointsVariant, "-failpoints")}`;

/** The version an etcd image of the harness holds, or undefined for another image. */
export function versionOfImage(ref: string): string | undefined {
  const prefix = etcdImage("");
  if (!ref.startsWith(prefix)) return undefined;
  const tag = ref.slice(prefix.length);
  return tag.endsWith("-failpoints") ? `${tag.slice(0, -"-failpoints".length)}${failpointsVariant}` : tag;
}

/** The etcdutl image of a release (a failpoints build's is its release's); throws before 3.5, which has no etcdutl. */
export const etcdutlImage = (version: string): string => `etcd-harness/etcdutl:${etcdutlRelease(version)}`;

/** The release an etcdutl image of the harness holds, or undefined for another image. */
export function releaseOfEtcdutlImage(ref: string): string | undefined {
  const prefix = "etcd-harness/etcdutl:";
  return ref.startsWith(prefix) ? ref.slice(prefix.length) : undefined;
}

export const toxiproxyImage = `etcd-harness/toxiproxy:${toxiproxyVersion}`;
export const reaperImage = `etcd-harness/reaper:${reaperVersion}`;

/** The recipes `npm run setup` and `harness doctor` know without asking the network: tools, set-up releases and etcdutl, pinned on-demand ones. */
export function imageRecipes(): ImageRecipe[] {
  return [
    reaperRecipe(),
    toxiproxyRecipe(),
    ...etcdVersions.map((version) => (version === debianEtcd.version ? debianEtcdRecipe() : pinnedEtcdRecipe(version))),
    ...etcdutlVersions.map((version) => etcdutlRecipe(version, path.join(sourcesDir, "etcdutl", `v${version}`), "the repo's pinned go.sum")),
    ...onDemandEtcdVersions.map((version) => ({ ...pinnedEtcdRecipe(version), onDemand: true })),
  ];
}

/** One of imageRecipes(), by reference. */
export function recipeFor(ref: string): ImageRecipe {
  const recipe = imageRecipes().find((candidate) => candidate.ref === ref);
  if (!recipe) throw new Error(`no recipe builds ${ref}`);
  return recipe;
}

/**
 * The recipe for any image a run may need: a known one, or the etcd or etcdutl image of a release resolved
 * from its Go module (the first time, through the module proxy; after that, from the project's cache).
 */
export async function recipeForRef(ref: string): Promise<ImageRecipe> {
  const known = imageRecipes().find((candidate) => candidate.ref === ref);
  if (known) return known;
  const etcdutl = releaseOfEtcdutlImage(ref);
  if (etcdutl !== undefined) {
    const pinned = pinnedEtcdutlModuleDir(etcdutlRelease(etcdutl));
    const [moduleDir, sums] = pinned
      ? [pinned, "the repo's pinned go.sum"]
      : [await resolveEtcdutlModule(etcdutl), "a go.sum resolved at first use, kept in .cache/etcdutl-modules"];
    return { ...etcdutlRecipe(etcdutl, moduleDir, sums), onDemand: true };
  }
  const version = versionOfImage(ref);
  if (version === undefined) throw new Error(`no recipe builds ${ref}`);
  const source = releaseSource(version);
  if (source.kind === "unbuildable") throw new Error(source.reason);
  if (source.kind === "debian") return debianEtcdRecipe();
  const { release, failpoints } = releaseOf(version);
  const [moduleDir, sums] =
    source.kind === "pinned" ? [source.moduleDir, "the repo's pinned go.sum"] : [await resolveModule(release), "a go.sum resolved at first use, kept in .cache/etcd-modules"];
  return { ...(failpoints ? failpointsEtcdRecipe(release, moduleDir, sums) : goEtcdRecipe(version, moduleDir, sums)), onDemand: true };
}

function pinnedEtcdRecipe(version: string): ImageRecipe {
  return goEtcdRecipe(version, path.join(sourcesDir, "etcd", `v${version}`), "the repo's pinned go.sum");
}

function goEtcdRecipe(version: string, moduleDir: string, sums: string): ImageRecipe {
  const moduleFiles = [etcdMainGo, ...goModuleFiles(moduleDir)];
  const hash = hashOf([...moduleFiles, "etcd-go"]);
  return {
    ref: etcdImage(version),
    title: `etcd ${version}`,
    origin: `${serverModule}@v${version} through the Go module proxy, with ${sums}`,
    hash,
    async prepare(contextDir, workDir) {
      copyInto(workDir, moduleFiles);
      await goBuild({ moduleDir: workDir, packagePath: ".", output: path.join(contextDir, "etcd") }).catch((error: unknown) => {
        throw new Error(`step "go build" (compiling etcd ${version}) failed: ${error instanceof Error ? error.message : String(error)}`);
      });
      writeDockerfile(contextDir, hash, ["COPY etcd /usr/local/bin/etcd", 'ENTRYPOINT ["/usr/local/bin/etcd"]']);
    },
  };
}

/** A release built with its failpoints (etcd-failpoints.ts); the image lists them in a label. */
function failpointsEtcdRecipe(release: string, moduleDir: string, sums: string): ImageRecipe {
  const moduleFiles = [etcdMainGo, ...goModuleFiles(moduleDir)];
  const hash = hashOf([...moduleFiles, "etcd-go", `gofail ${gofailVersion} (runtime too)`, addedFailpointsFingerprint]);
  const version = `${release}${failpointsVariant}`;
  return {
    ref: etcdImage(version),
    title: `etcd ${version}`,
    origin: `${serverModule}@v${release} through the Go module proxy, with ${sums}, its gofail comments enabled by go.etcd.io/gofail@v${gofailVersion}`,
    hash,
    async prepare(contextDir, workDir) {
      copyInto(workDir, moduleFiles);
      const names = await enableFailpoints(workDir, release);
      await goBuild({ moduleDir: workDir, packagePath: ".", output: path.join(contextDir, "etcd") }).catch((error: unknown) => {
        throw new Error(`step "go build" (compiling etcd ${version}) failed: ${error instanceof Error ? error.message : String(error)}`);
      });
      writeDockerfile(contextDir, hash, ["COPY etcd /usr/local/bin/etcd", `LABEL ${failpointsLabel}=${names.join(",")}`, 'ENTRYPOINT ["/usr/local/bin/etcd"]']);
    },
  };
}

/** etcdutl alone, for operators' snapshot status and restore (harness/cluster/docker/etcdutl.ts runs it). */
function etcdutlRecipe(release: string, moduleDir: string, sums: string): ImageRecipe {
  const moduleFiles = goModuleFiles(moduleDir);
  const hash = hashOf([...moduleFiles, "etcdutl-go"]);
  return {
    ref: etcdutlImage(release),
    title: `etcdutl ${release}`,
    origin: `${etcdutlModule}@v${release} through the Go module proxy, with ${sums}`,
    hash,
    async prepare(contextDir, workDir) {
      copyInto(workDir, moduleFiles);
      await goBuild({ moduleDir: workDir, packagePath: etcdutlModule, output: path.join(contextDir, "etcdutl") }).catch((error: unknown) => {
        throw new Error(`step "go build" (compiling etcdutl ${release}) failed: ${error instanceof Error ? error.message : String(error)}`);
      });
      writeDockerfile(contextDir, hash, ["COPY etcdutl /usr/local/bin/etcdutl", 'ENTRYPOINT ["/usr/local/bin/etcdutl"]']);
    },
  };
}

function debianEtcdRecipe(): ImageRecipe {
  const hash = hashOf([`debian ${debianEtcd.package} ${debianEtcd.version}`]);
  return {
    ref: etcdImage(debianEtcd.version),
    title: `etcd ${debianEtcd.version}`,
    origin: `Debian's ${debianEtcd.package} package (apt-get download), with the libraries ldd lists`,
    hash,
    async prepare(contextDir, workDir) {
      const { stdout } = await run("apt-get", ["download", "-q", debianEtcd.package], { cwd: workDir }).catch(async () => {
        await run("apt-get", ["update", "-q"], { maxBuffer: 64 << 20 });
        return run("apt-get", ["download", "-q", debianEtcd.package], { cwd: workDir });
      });
      const deb = fs.readdirSync(workDir).find((name) => name.startsWith(`${debianEtcd.package}_`) && name.endsWith(".deb"));
      if (!deb) throw new Error(`apt-get download ${debianEtcd.package} left no .deb in ${workDir}: ${stdout}`);
      if (!deb.includes(`_${debianEtcd.version}`)) throw new Error(`Debian offers ${deb}, not etcd ${debianEtcd.version}`);
      const unpacked = path.join(workDir, "unpacked");
      await run("dpkg-deb", ["-x", path.join(workDir, deb), unpacked]);
      const binary = path.join(unpacked, debianEtcd.binary);
      const rootfs = path.join(contextDir, "rootfs");
      copyFile(binary, path.join(rootfs, "usr/local/bin/etcd"));
      for (const library of await sharedLibraries(binary)) copyFile(library, path.join(rootfs, library));
      writeDockerfile(contextDir, hash, ["COPY rootfs/ /", 'ENTRYPOINT ["/usr/local/bin/etcd"]']);
    },
  };
}

function toxiproxyRecipe(): ImageRecipe {
  const moduleFiles = goModuleFiles(path.join(sourcesDir, "toxiproxy"));
  const hash = hashOf([...moduleFiles, "toxiproxy"]);
  return {
    ref: toxiproxyImage,
    title: `toxiproxy ${toxiproxyVersion}`,
    origin: `github.com/Shopify/toxiproxy/v2/cmd/server@v${toxiproxyVersion} through the Go module proxy`,
    hash,
    async prepare(contextDir, workDir) {
      copyInto(workDir, moduleFiles);
      await goBuild({
        moduleDir: workDir,
        packagePath: "github.com/Shopify/toxiproxy/v2/cmd/server",
        output: path.join(contextDir, "toxiproxy"),
        linkerVariables: { "github.com/Shopify/toxiproxy/v2.Version": toxiproxyVersion },
      });
      writeDockerfile(contextDir, hash, ["COPY toxiproxy /toxiproxy", 'ENTRYPOINT ["/toxiproxy", "-host", "0.0.0.0"]']);
    },
  };
}

function reaperRecipe(): ImageRecipe {
  const moduleFiles = [path.join(sourcesDir, "reaper", "main.go"), path.join(sourcesDir, "reaper", "go.mod")];
  const hash = hashOf(moduleFiles);
  return {
    ref: reaperImage,
    title: "reaper (removes a run's containers and networks when the harness dies)",
    origin: "harness/images/reaper, standard library only",
    hash,
    async prepare(contextDir, workDir) {
      copyInto(workDir, moduleFiles);
      await goBuild({ moduleDir: workDir, packagePath: ".", output: path.join(contextDir, "reaper") });
      writeDockerfile(contextDir, hash, ["COPY reaper /reaper", 'ENTRYPOINT ["/reaper"]']);
    },
  };
}

export const imageWorkDir = (ref: string): string => path.join(cacheDir, "images", ref.replace(/[/:]/g, "-"));

function goModuleFiles(dir: string): string[] {
  return ["go.mod", "go.sum"].map((name) => path.join(dir, name)).filter((file) => fs.existsSync(file));
}

function hashOf(inputs: string[]): string {
  const hash = crypto.createHash("sha256");
  for (const input of inputs) hash.update(fs.existsSync(input) ? fs.readFileSync(input) : input);
  return hash.digest("hex").slice(0, 16);
}

function copyInto(dir: string, files: string[]): void {
  for (const file of files) copyFile(file, path.join(dir, path.basename(file)));
}

function copyFile(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

function writeDockerfile(contextDir: string, hash: string, lines: string[]): void {
  const text = ["FROM scratch", `LABEL ${recipeLabel}=${hash}`, ...lines].join("\n");
  fs.writeFileSync(path.join(contextDir, "Dockerfile"), `${text}\n`);
}

/** Absolute paths of the shared libraries a dynamically linked binary loads, as ldd resolves them here. */
async function sharedLibraries(binary: string): Promise<string[]> {
  const { stdout } = await run("ldd", [binary]);
  return [...stdout.matchAll(/(\/\S+)\s+\(0x/g)].map((match) => match[1]!);
}
