// Regression scenario for etcd issue 13766: etcd 3.5.0-3.5.2 could skip an applied write after a crash under load.
//
// 3.5.0-3.5.2 set the consistent index in memory before applying an entry, and the backend's periodic
// commit (every 100 ms) persisted whatever index was in memory. A commit that fell between the two
// saved an index ahead of the data; a crash before the next commit left a member that, on restart,
// skipped that entry for good: its revision one behind its peers and its hash different (convergence),
// and reads through it missing an acknowledged write (linearizability, durability). 3.5.3 saves the
// index in the same transaction as the data. etcd's robustness suite waits for the race under SIGKILLs
// (up to 100 runs); here a failpoint holds it open: the follower sleeps 300 ms between an entry's index
// and its apply (a commit or two fall in between), then panics at the next entry, before the commit
// that would have saved the data. Every crash is a chance for the bug; on 3.5.3 the same crash loses nothing.
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./fault-checkers.ts";

/** gofail's term: sleep at the first entry reached, panic at the next. */
export const sleepThenPanic = "1*sleep(300)->panic";

export const etcd13766: ScenarioSpec = {
  name: "etcd-13766",
  summary: "regression of etcd issue 13766: a follower crashed every 5s between an entry's consistent index and its apply, held open 300 ms, under load; 3.5.0-3.5.2 lose a write on the restarted member, later releases must not",
  regression: { issue: 13766, bug: "a member crashed under load skips an applied entry on restart", buggy: "3.5.2+failpoints", fixed: "3.5.3+failpoints" },
  allowedNodes: [3, 5],
  time: "40s",
  // No compare-and-set: a failed one applies no change, so a crash at it would lose nothing.
  settings: { rate: 1000, concurrency: 16, keys: 50, casShare: 0 },
  etcd: { flags: ["snapshot-count=100"] },
  schedule: {
    repeat: [{ fault: "failpoint-crash", target: "follower", params: { failpoint: "applyAfterSetConsistentIndex", term: sleepThenPanic } }],
    every: "5s",
    tail: "5s",
  },
  checkers: [...faultCheckers(availability()), "revision-monotonic"],
};
