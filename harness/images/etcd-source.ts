// etcd built from the user's own checkout: an image tagged by the tree's commit and a hash of its uncommitted changes, rebuilt only when they change.
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { usageError } from "../errors.ts";
import type { ImageRecipe } from "./catalog.ts";
import { recipeLabel } from "./docker-build.ts";
import { goBuild } from "./go-build.ts";

const run = promisify(execFile);
const sourceRepository = "etcd-harness/etcd-source";
/** Files that shape the binary; a tree without git is hashed over these. */
const buildInputs = /\.(go|s|c|h|proto)$|(^|\/)go\.(mod|sum|work)$/;

export interface SourceTree {
  dir: string;
  /** The checkout's commit, or "none" for a tree that is not a git checkout. */
  commit: string;
  /** Hash of the uncommitted changes (tracked and untracked), "clean" when there are none; of the whole tree without git. */
  changes: string;
  /** The image this state of the tree builds. */
  ref: string;
}

/** Exit 64 unless `dirText` is laid out as etcd's repository: server/ with its go.mod. */
export function checkSourceLayout(dirText: string): void {
  const serverMod = path.join(path.resolve(dirText), "server", "go.mod");
  const module = fs.existsSync(serverMod) ? /^module\s+(\S+)/m.exec(fs.readFileSync(serverMod, "utf8"))?.[1] : undefined;
  if (module !== "go.etcd.io/etcd/server/v3") {
    throw usageError(`--etcd-source ${dirText}: not an etcd checkout (${module ? `server/go.mod names ${module}` : "no server/go.mod"}); etcd's layout has server/, api/, client/, pkg/ ..., each with its go.mod`);
  }
}

/** The tree's identity, after checking its layout. */
export async function sourceTree(dirText: string): Promise<SourceTree> {
  checkSourceLayout(dirText);
  const dir = path.resolve(dirText);
  const commit = await git(dir, ["rev-parse", "HEAD"]).then((out) => out.trim()).catch(() => undefined);
  if (commit === undefined) {
    const changes = hashTree(dir);
    return { dir, commit: "none", changes, ref: `${sourceRepository}:tree-${changes.slice(0, 12)}` };
  }
  const changes = await uncommittedChanges(dir);
  return { dir, commit, changes, ref: `${sourceRepository}:${commit.slice(0, 12)}${changes === "clean" ? "" : `-${changes.slice(0, 8)}`}` };
}

/** Builds the server module of the tree (its own go.mod, go.sum and replace directives) into a FROM-scratch image. */
export function sourceRecipe(tree: SourceTree): ImageRecipe {
  const hash = `${tree.commit}-${tree.changes}`;
  return {
    ref: tree.ref,
    title: `etcd source ${tree.commit === "none" ? "(no git)" : tree.commit.slice(0, 12)}${tree.changes === "clean" ? "" : " with uncommitted changes"}`,
    origin: `${tree.dir}/server with its go.mod`,
    hash,
    onDemand: true,
    async prepare(contextDir) {
      await goBuild({ moduleDir: path.join(tree.dir, "server"), packagePath: ".", output: path.join(contextDir, "etcd") }).catch((error: unknown) => {
        throw new Error(`step "go build" (compiling ${tree.dir}/server) failed: ${error instanceof Error ? error.message : String(error)}`);
      });
      const text = ["FROM scratch", `LABEL ${recipeLabel}=${hash}`, "COPY etcd /usr/local/bin/etcd", 'ENTRYPOINT ["/usr/local/bin/etcd"]'].join("\n");
      fs.writeFileSync(path.join(contextDir, "Dockerfile"), `${text}\n`);
    },
  };
}

async function git(dir: string, args: string[]): Promise<string> {
  const { stdout } = await run("git", ["-C", dir, ...args], { maxBuffer: 256 << 20, encoding: "utf8" });
  return stdout;
}

async function uncommittedChanges(dir: string): Promise<string> {
  const diff = await git(dir, ["diff", "HEAD", "--binary"]);
  const untracked = (await git(dir, ["ls-files", "--others", "--exclude-standard", "-z"])).split("\0").filter(Boolean).sort();
  if (diff === "" && untracked.length === 0) return "clean";
  const hash = crypto.createHash("sha256").update(diff);
  for (const file of untracked) hash.update(`\0${file}\0`).update(fs.readFileSync(path.join(dir, file)));
  return hash.digest("hex");
}

function hashTree(dir: string): string {
  const hash = crypto.createHash("sha256");
  const walk = (relative: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const child = path.posix.join(relative, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== ".git" && entry.name !== "bin") walk(child);
      } else if (entry.isFile() && buildInputs.test(child)) {
        hash.update(`\0${child}\0`).update(fs.readFileSync(path.join(dir, child)));
      }
    }
  };
  walk("");
  return hash.digest("hex");
}
