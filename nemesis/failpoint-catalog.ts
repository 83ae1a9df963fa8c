// etcd's failpoints worth crashing at, as etcd's robustness suite arms them: where each is reached, and what makes a member reach it.
//
// Every one here is in 3.5.21 and later (3.5.2-3.5.20 have fewer; a release without one makes the fault
// unavailable, named). Left out: the snapshot points (raftBeforeApplySnap, raftAfterWALRelease, ...),
// which a member reaches only when it receives a snapshot; compactBeforeCommitBatch and
// compactAfterCommitBatch, reached only when one compaction removes more revisions than
// --compaction-batch-limit (1000); and the error-injecting ones (defragdbFail). Any of them can still
// be armed by name.

export interface CrashPoint {
  name: string;
  /** Which member reaches it: any member under writes, only the leader, or only a follower. */
  reachedBy: "any" | "leader" | "follower";
  /** The operation that makes the member reach it, which the fault performs after arming. */
  trigger?: "compact" | "defrag";
}

export const crashPoints: readonly CrashPoint[] = [
  { name: "raftBeforeSave", reachedBy: "any" },
  { name: "raftAfterSave", reachedBy: "any" },
  { name: "raftBeforeAdvance", reachedBy: "any" },
  { name: "walBeforeSync", reachedBy: "any" },
  { name: "walAfterSync", reachedBy: "any" },
  { name: "beforeApplyOneEntryNormal", reachedBy: "any" },
  { name: "beforeCommit", reachedBy: "any" },
  { name: "afterCommit", reachedBy: "any" },
  { name: "commitBeforePreCommitHook", reachedBy: "any" },
  { name: "commitAfterPreCommitHook", reachedBy: "any" },
  { name: "beforeStartDBTxn", reachedBy: "any" },
  { name: "afterStartDBTxn", reachedBy: "any" },
  { name: "beforeWritebackBuf", reachedBy: "any" },
  { name: "afterWritebackBuf", reachedBy: "any" },
  { name: "raftBeforeLeaderSend", reachedBy: "leader" },
  { name: "raftBeforeFollowerSend", reachedBy: "follower" },
  { name: "defragBeforeCopy", reachedBy: "any", trigger: "defrag" },
  { name: "defragBeforeRename", reachedBy: "any", trigger: "defrag" },
  { name: "compactBeforeCommitScheduledCompact", reachedBy: "any", trigger: "compact" },
  { name: "compactAfterCommitScheduledCompact", reachedBy: "any", trigger: "compact" },
  { name: "compactBeforeSetFinishedCompact", reachedBy: "any", trigger: "compact" },
  { name: "compactAfterSetFinishedCompact", reachedBy: "any", trigger: "compact" },
];

/** Points a member keeps reaching under writes, for sleeps: each write passes them. */
export const sleepPoints: readonly string[] = ["raftBeforeSave", "raftAfterSave", "beforeApplyOneEntryNormal", "walBeforeSync", "beforeCommit"];

export function crashPointNamed(name: string): CrashPoint | undefined {
  return crashPoints.find((point) => point.name === name);
}

/** The target a random schedule gives a crash point: the role that reaches it. */
export function targetFor(point: CrashPoint): "leader" | "follower" | "random" {
  return point.reachedBy === "any" ? "random" : point.reachedBy;
}
