// Failpoints later etcd releases have (or etcd's robustness suite adds) placed in a release that lacks them, so a bug older than the failpoint can be reached.
//
// Each is one `// gofail: var <name> struct{}` comment put before the first line matching `before` in
// the file named `file` (anywhere in the server module: 3.5 keeps mvcc/, 3.6 storage/mvcc/), with that
// line's indentation, exactly where the release that has it keeps it. A release that already has the
// comment, or whose file has no such line, is left as it is (the run then says the failpoint is missing).
import fs from "node:fs";
import path from "node:path";

export interface AddedFailpoint {
  name: string;
  file: string;
  before: RegExp;
  /** Where it comes from, for the build's record. */
  origin: string;
}

export const addedFailpoints: AddedFailpoint[] = [
  {
    // In etcd since 3.5.14: between a compaction's last batch and the record that it finished.
    name: "compactBeforeSetFinishedCompact",
    file: "kvstore_compaction.go",
    before: /^\s*rbytes := make\(\[\]byte, 8\+1\+8\)/,
    origin: "etcd 3.5.14's mvcc/kvstore_compaction.go",
  },
  {
    // Only in etcd's robustness builds: just before the server sends a watch response, to make a watcher slow.
    name: "beforeSendWatchResponse",
    file: "watch.go",
    before: /^\s*if !fragmented && !ok \{/,
    origin: "etcd's robustness builds (v3rpc/watch.go sendLoop)",
  },
  {
    // Only in this harness, on 3.5 (3.6 moved the apply elsewhere): after an entry's consistent index is
    // set in memory, before the entry is applied. A sleep there holds etcd issue 13766's race open.
    name: "applyAfterSetConsistentIndex",
    file: "server.go",
    before: /^\s*s\.lg\.Debug\("apply entry normal",/,
    origin: "this harness (3.5's etcdserver/server.go applyEntryNormal)",
  },
];

/** Adds every failpoint of `addedFailpoints` that `serverDir` (a copy of the server module) lacks; returns the names added. */
export function addMissingFailpoints(serverDir: string): string[] {
  const goFiles = (fs.readdirSync(serverDir, { recursive: true, encoding: "utf8" }) as string[]).filter((name) => name.endsWith(".go"));
  const added: string[] = [];
  for (const point of addedFailpoints) {
    const comment = `// gofail: var ${point.name} struct{}`;
    const candidates = goFiles.filter((name) => path.basename(name) === point.file && !name.includes("_test"));
    if (candidates.some((name) => fs.readFileSync(path.join(serverDir, name), "utf8").includes(comment))) continue;
    for (const name of candidates) {
      const file = path.join(serverDir, name);
      const lines = fs.readFileSync(file, "utf8").split("\n");
      const at = lines.findIndex((line) => point.before.test(line));
      if (at < 0) continue;
      const indent = /^\s*/.exec(lines[at]!)![0];
      lines.splice(at, 0, `${indent}${comment}`);
      fs.writeFileSync(file, lines.join("\n"));
      added.push(point.name);
      break;
    }
  }
  return added;
}

/** What the recipe hash takes in, so a change to the list rebuilds failpoints images. */
export const addedFailpointsFingerprint = addedFailpoints.map((point) => `${point.name}@${point.file}:${point.before.source}`).join(";");
