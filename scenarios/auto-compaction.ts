// auto-compaction: the operators' production setting, etcd compacting itself (periodic or revision mode), rehearsed with watchers that fall behind it and resume.
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./fault-checkers.ts";

/** Every member has a resuming watcher of its own: a third of the processes watch, one per member in turn; the other six write. */
const watchers = { concurrency: 9 } satisfies ScenarioSpec["settings"];

/**
 * One-shot watches opened at each member's compaction revision, one after another, show the checker
 * nearly every compaction. Before the first compaction they open at revision 1 and receive the whole
 * history each time: only for a run that compacts from its first seconds.
 */
const oneShotsAtCompaction = { ...watchers, watchOneShots: ["compaction"] } satisfies ScenarioSpec["settings"];

const checkers = (mode: "periodic" | "revision"): ScenarioSpec["checkers"] => [...faultCheckers(availability(["pause"])), { name: "auto-compaction", options: { mode } }];

/**
 * etcd compacts every 2 s, up to the revision it held 2 s before. A follower paused 6 s misses the
 * compactions of its last 4 s, so its watcher resumes from a revision etcd no longer keeps.
 */
export const autoCompactionPeriodic: ScenarioSpec = {
  name: "auto-compaction-periodic",
  summary:
    "etcd compacts itself every 2s (--auto-compaction-mode=periodic --auto-compaction-retention=2s) under the watch workload while a follower is paused 6s, again every 9s: its watcher resumes behind the compaction and must get the compacted answer, with nothing else skipped",
  allowedNodes: [3, 5],
  time: "40s",
  workload: "watch",
  settings: oneShotsAtCompaction,
  etcd: { flags: ["auto-compaction-mode=periodic", "auto-compaction-retention=2s"] },
  schedule: { cycle: [{ fault: "pause", target: "follower" }], on: "6s", off: "3s" },
  checkers: checkers("periodic"),
};

/**
 * etcd's revision mode looks every 5 minutes (a constant, revInterval in v3compactor/revision.go) and
 * compacts to its revision less the retention. The first look comes 5 minutes after each member's
 * server started, a second or two before the workload starts: 298-300 s into it (299 s measured). A
 * follower is paused 6 s at 2 s and at 2m2s (resumes with nothing compacted), then 70 s from 4m2s,
 * across that look: its watcher resumes thousands of revisions behind it. A run shorter than 5m14s
 * plays no long pause, so no watcher resumes behind a compaction and the auto-compaction verdict is
 * unknown. No one-shot watches: they would replay the whole history for 5 minutes.
 */
export const autoCompactionRevision: ScenarioSpec = {
  name: "auto-compaction-revision",
  summary:
    "etcd keeps its last 300 revisions (--auto-compaction-mode=revision --auto-compaction-retention=300), looking every 5 minutes, under the watch workload; a follower paused 70s across etcd's first look has its watcher resume behind the compaction, which must get the compacted answer, with nothing else skipped (shorter pauses before it resume with nothing compacted)",
  allowedNodes: [3, 5],
  time: "5m40s",
  workload: "watch",
  settings: watchers,
  etcd: { flags: ["auto-compaction-mode=revision", "auto-compaction-retention=300"] },
  schedule: {
    repeat: [
      { fault: "pause", target: "follower", duration: "6s" },
      { fault: "pause", target: "follower", duration: "6s" },
      { fault: "pause", target: "follower", duration: "70s" },
    ],
    every: "2m",
  },
  checkers: checkers("revision"),
};
