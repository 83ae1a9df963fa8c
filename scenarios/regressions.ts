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
const writeHeavy = { rate: 1500, concurrency: 8, keys: 20, casCompare: "mod-revision" } as const;

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

/** A one-member cluster crashed after a batched compaction removed everything but before it marked the compaction finished. */
export const etcd17780: ScenarioSpec = {
  name: "etcd-17780",
  summary: "regression of etcd issue 17780: a one-member cluster crashed at the end of a compaction done one revision per batch, every 3s, under slow create/delete traffic; 3.5.13 came back at a lower revision",
  regression: { issue: 17780, bug: "a crash at the end of a compaction makes the member's revision go down", buggy: "3.5.13+failpoints", fixed: "3.5.14+failpoints" },
  nodes: 1,
  allowedNodes: [1],
  time: "60s",
  workload: "kubernetes",
  // The bug needs three things at the crash: the compacted revision is the newest and a delete (half of
  // create/delete traffic), its tombstone's removal already committed (each batch commits, and with one
  // revision a batch the crash comes after an empty last batch), and no write since (a slow rate).
  settings: { rate: 8, concurrency: 2, keys: 10, writeMix: "create-delete" },
  etcd: { flags: ["experimental-compaction-batch-limit=1", "snapshot-count=1000"] },
  schedule: { repeat: [{ fault: "failpoint-crash", target: "all", params: { failpoint: "compactBeforeSetFinishedCompact" } }], every: "3s" },
  checkers: regressionCheckers,
};

/** Watchers asking for progress often while their one-member cluster is killed and restarted under writes. */
export const etcd15220: ScenarioSpec = {
  name: "etcd-15220",
  summary: "regression of etcd issue 15220: watchers ask a one-member cluster for progress every 50ms under writes while it is killed and restarted; 3.5.7 sent a requested progress notification ahead of events it had yet to send",
  regression: { issue: 15220, bug: "a requested progress notification is not ordered with the watch's events", buggy: "3.5.7", fixed: "3.5.8" },
  nodes: 1,
  allowedNodes: [1],
  time: "40s",
  workload: "watch",
  // No deletes: with compaction traffic a delete at the compaction revision meets etcd issue 19179 (fixed only in 3.5.18).
  settings: { rate: 1000, concurrency: 15, keys: 10, writeMix: "no-delete", watchProgress: "50ms", watchSession: "5s", compactEvery: "200ms" },
  schedule: { cycle: [{ fault: "kill", target: "all" }], on: "1s", off: "4s" },
  checkers: regressionCheckers,
};

/** A member cut off until it must catch up from a snapshot, with long-lived watches open on it. */
export const etcd15271: ScenarioSpec = {
  name: "etcd-15271",
  summary: "regression of etcd issue 15271: a follower cut off until the leader must send it a snapshot, again every 20s, with long-lived watches open on it under heavy writes; 3.5.7 replayed old events to them",
  regression: { issue: 15271, bug: "a member that restores a snapshot from its leader sends its watchers old events again", buggy: "3.5.7", fixed: "3.5.8" },
  nodes: 3,
  allowedNodes: [3, 5],
  time: "60s",
  workload: "watch",
  // No compaction traffic: 3.5.7 replays a restored member's watchers from the revision each started at,
  // and a compaction past that revision would cancel them instead (their start is gone) and hide the bug.
  settings: { rate: 2000, concurrency: 15, keys: 10, writeMix: "no-delete", watchSession: "30s" },
  etcd: { flags: ["snapshot-count=100"] },
  schedule: { repeat: [{ fault: "blackhole-until-snapshot", target: "follower" }], every: "20s", warmup: "3s", tail: "5s" },
  checkers: regressionCheckers,
};

/** Watches on revisions in their member's future (a watcher resuming on a lagging member, a one-shot ahead of the store) while a member catches up by snapshot. */
export const etcd20221: ScenarioSpec = {
  name: "etcd-20221",
  summary: "regression of etcd issue 20221: watchers resume on member after member, and watches open 50-100 revisions ahead, while a follower is cut off until it catches up by snapshot, again and again; 3.5.21 sent a watch on a revision in its member's future events older than its start",
  regression: { issue: 20221, bug: "a watch opened at a future revision receives old events", buggy: "3.5.21", fixed: "3.5.22" },
  nodes: 3,
  allowedNodes: [3, 5],
  time: "60s",
  workload: "watch",
  // Watchers hop from member to member, so one resumes on the cut member at a revision in its future, as etcd issue 20221's clients did.
  settings: { rate: 1500, concurrency: 12, keys: 10, watchOneShots: ["future"], watchHop: true, watchSession: "1s", watchProgress: "100ms" },
  etcd: { flags: ["snapshot-count=10", "experimental-snapshot-catchup-entries=10", "experimental-watch-progress-notify-interval=10ms"] },
  // A leader compacts nothing for 30 s after it sent a snapshot, so a cut every 10 s often waits for that.
  schedule: { repeat: [{ fault: "blackhole-until-snapshot", target: "follower" }], every: "15s", warmup: "3s", tail: "5s" },
  checkers: regressionCheckers,
};

/** Watches opened at the compaction revision while a one-member cluster crashes at the end of batched compactions. */
export const etcd19179: ScenarioSpec = {
  name: "etcd-19179",
  summary: "regression of etcd issue 19179: a one-member cluster crashed at the end of a compaction done one revision per batch, every 3s, under slow create/delete traffic, with watches opened at the compaction revision; 3.5.17 left out the delete made there",
  regression: { issue: 19179, bug: "a watch opened at the compaction revision misses the delete made at that revision", buggy: "3.5.17+failpoints", fixed: "3.5.18+failpoints" },
  nodes: 1,
  allowedNodes: [1],
  time: "60s",
  workload: "watch",
  // One revision a batch: a key's create is removed (and committed) in a batch before its tombstone's.
  // Progress notifications bound each watch's span, so a missing delete is judged even when no later event comes.
  settings: { rate: 10, concurrency: 6, keys: 20, writeMix: "create-delete", watchOneShots: ["compaction"], watchSession: "2s", watchProgress: "200ms" },
  etcd: { flags: ["experimental-compaction-batch-limit=1", "snapshot-count=1000"] },
  schedule: { repeat: [{ fault: "failpoint-crash", target: "all", params: { failpoint: "compactBeforeSetFinishedCompact" } }], every: "3s" },
  checkers: regressionCheckers,
};

/** A slow watcher (its member sleeps before each watch response) on a one-member cluster compacted every 100ms. */
export const etcd17529: ScenarioSpec = {
  name: "etcd-17529",
  summary: "regression of etcd issue 17529: a one-member cluster sleeps before every watch response (its watchers fall behind) while compacting every 100ms under heavy writes; 3.5.12 lost events for watchers whose channel was full",
  regression: { issue: 17529, bug: "a slow watcher whose channel is full loses events when a compaction runs", buggy: "3.5.12+failpoints", fixed: "3.5.13+failpoints" },
  nodes: 1,
  allowedNodes: [1],
  time: "40s",
  workload: "watch",
  settings: { rate: 1500, concurrency: 15, keys: 10, writeMix: "no-delete", watchSession: "10s", compactEvery: "100ms" },
  etcd: { flags: ["snapshot-count=100"] },
  schedule: { cycle: [{ fault: "failpoint-sleep", target: "all", params: { failpoint: "beforeSendWatchResponse", ms: 20 } }], on: "8s", off: "2s" },
  checkers: regressionCheckers,
};
