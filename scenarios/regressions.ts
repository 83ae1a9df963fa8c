// Regression scenarios: etcd bugs found again on the release that had them, each named after its etcd issue, with its buggy and fixed releases as data.
//
// Each follows the reproduction etcd's robustness suite keeps for the bug (tests/robustness, the
// "Reproduce historical issues" targets): the same cluster size, fault and flags, with the harness's
// own workloads and checkers judging the history. `npm run bench:zoo` measures how often each one
// catches its bug on the buggy release and that the fixed release stays valid.
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./fault-checkers.ts";

/** Every fault scenario's checkers, and the revision of each member never going backward. */
const regressionCheckers = [...faultCheckers(availability()), "revision-monotonic"];

/** Heavy writes on a few keys, compared on mod revisions so the etcd KV model checks every revision a response names. */
const writeHeavy = { rate: 1500, concurrency: 16, keys: 20, casCompare: "mod-revision" } as const;

/** A one-member cluster crashed just before raft saves its entries, again and again, under writes. */
export const etcd14370: ScenarioSpec = {
  name: "etcd-14370",
  summary: "regression of etcd issue 14370: a one-member cluster crashed before its WAL save, every 4s under writes; 3.5.4 had acknowledged writes the crash lost",
  regression: { issue: 14370, bug: "a one-member cluster acknowledges a write before saving it to its WAL, so a crash loses it", buggy: "3.5.4+failpoints", fixed: "3.5.5+failpoints" },
  nodes: 1,
  allowedNodes: [1],
  time: "40s",
  settings: writeHeavy,
  schedule: { repeat: [{ fault: "failpoint-crash", target: "all", params: { failpoint: "raftBeforeSave" } }], every: "4s" },
  checkers: regressionCheckers,
};

/** A one-member cluster crashed in the middle of defragmenting its database, again and again, under writes. */
export const etcd14685: ScenarioSpec = {
  name: "etcd-14685",
  summary: "regression of etcd issue 14685: a one-member cluster crashed while defragmenting (before the copy, before the rename), every 4s under writes; 3.5.5 came back with revisions that disagree",
  regression: { issue: 14685, bug: "a crash during defragmentation leaves the member's revisions inconsistent", buggy: "3.5.5+failpoints", fixed: "3.5.6+failpoints" },
  nodes: 1,
  allowedNodes: [1],
  time: "40s",
  settings: writeHeavy,
  schedule: {
    repeat: [
      { fault: "failpoint-crash", target: "all", params: { failpoint: "defragBeforeCopy" } },
      { fault: "failpoint-crash", target: "all", params: { failpoint: "defragBeforeRename" } },
    ],
    every: "4s",
  },
  checkers: regressionCheckers,
};

/** A one-member cluster crashed after a batched compaction removed its last batch but before it marked the compaction finished. */
export const etcd17780: ScenarioSpec = {
  name: "etcd-17780",
  summary: "regression of etcd issue 17780: a one-member cluster crashed at the end of a batched compaction, every 3s under Kubernetes-style traffic; 3.5.13 came back at a lower revision",
  regression: { issue: 17780, bug: "a crash at the end of a compaction makes the member's revision go down", buggy: "3.5.13+failpoints", fixed: "3.5.14+failpoints" },
  nodes: 1,
  allowedNodes: [1],
  time: "40s",
  workload: "kubernetes",
  // A modest rate: the bug shows when the compacted revision is still the newest, a delete whose tombstone the compaction removed.
  settings: { rate: 150, concurrency: 6, keys: 10 },
  etcd: { flags: ["experimental-compaction-batch-limit=300", "snapshot-count=1000"] },
  schedule: { repeat: [{ fault: "failpoint-crash", target: "all", params: { failpoint: "compactBeforeSetFinishedCompact" } }], every: "3s" },
  checkers: regressionCheckers,
};
