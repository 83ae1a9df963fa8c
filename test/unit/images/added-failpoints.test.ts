// Failpoints a release lacks are put where later releases keep them, once, and never into a release that has them.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { addMissingFailpoints } from "../../../harness/images/added-failpoints.ts";

/** A server module with etcd 3.5.13's compaction loop (no failpoint there), a watch send loop and 3.5.2's applyEntryNormal. */
function moduleLike(compactionHasFailpoint: boolean): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "added-failpoints-"));
  fs.mkdirSync(path.join(root, "mvcc"));
  fs.mkdirSync(path.join(root, "etcdserver/api/v3rpc"), { recursive: true });
  const compaction = [
    "func (s *store) scheduleCompaction() {",
    "\t\tif len(keys) < s.cfg.CompactionBatchLimit {",
    ...(compactionHasFailpoint ? ["\t\t\t// gofail: var compactBeforeSetFinishedCompact struct{}"] : []),
    "\t\t\trbytes := make([]byte, 8+1+8)",
    "\t\t\ttx.UnsafePut(buckets.Meta, finishedCompactKeyName, rbytes)",
    "\t\t}",
    "}",
  ];
  fs.writeFileSync(path.join(root, "mvcc/kvstore_compaction.go"), compaction.join("\n"));
  fs.writeFileSync(path.join(root, "etcdserver/api/v3rpc/watch.go"), ["\t\t\tvar serr error", "\t\t\tif !fragmented && !ok {", "\t\t\t\tserr = sws.gRPCStream.Send(wr)"].join("\n"));
  const apply = ["\t\ts.consistIndex.SetConsistentIndex(e.Index, e.Term)", "\t\tshouldApplyV3 = membership.ApplyBoth", "\t}", '\ts.lg.Debug("apply entry normal",'];
  fs.writeFileSync(path.join(root, "etcdserver/server.go"), apply.join("\n"));
  return root;
}

describe("addMissingFailpoints", () => {
  it("puts each missing failpoint on its own line before its anchor, with the anchor's indentation", () => {
    const root = moduleLike(false);
    expect(addMissingFailpoints(root)).toEqual(["compactBeforeSetFinishedCompact", "beforeSendWatchResponse", "applyAfterSetConsistentIndex"]);
    const compaction = fs.readFileSync(path.join(root, "mvcc/kvstore_compaction.go"), "utf8").split("\n");
    expect(compaction.slice(1, 4)).toEqual([
      "\t\tif len(keys) < s.cfg.CompactionBatchLimit {",
      "\t\t\t// gofail: var compactBeforeSetFinishedCompact struct{}",
      "\t\t\trbytes := make([]byte, 8+1+8)",
    ]);
    expect(fs.readFileSync(path.join(root, "etcdserver/api/v3rpc/watch.go"), "utf8")).toContain("\t\t\t// gofail: var beforeSendWatchResponse struct{}\n\t\t\tif !fragmented && !ok {");
    expect(fs.readFileSync(path.join(root, "etcdserver/server.go"), "utf8")).toContain('\t}\n\t// gofail: var applyAfterSetConsistentIndex struct{}\n\ts.lg.Debug("apply entry normal",');
    // A second pass (the comment is there now) adds nothing.
    expect(addMissingFailpoints(root)).toEqual([]);
  });

  it("leaves a release that already has the failpoint as it is", () => {
    const root = moduleLike(true);
    const before = fs.readFileSync(path.join(root, "mvcc/kvstore_compaction.go"), "utf8");
    expect(addMissingFailpoints(root)).toEqual(["beforeSendWatchResponse", "applyAfterSetConsistentIndex"]);
    expect(fs.readFileSync(path.join(root, "mvcc/kvstore_compaction.go"), "utf8")).toBe(before);
  });
});
