// Regression scenario for etcd issue 13766: etcd 3.5.0-3.5.2 could skip an applied write after a crash under load.
//
// 3.5.0-3.5.2 set the consistent index in memory before applying an entry, and the backend's periodic
// commit (every 100 ms) persisted whatever index was in memory. A commit that fell between the two
// saved an index ahead of the data; a SIGKILL before the next commit left a member that, on restart,
// skipped that entry for good: its revision one behind its peers and its hash different (convergence),
// and reads through it missing an acknowledged write (linearizability, durability). 3.5.3 saves the
// index in the same transaction as the data. etcd's robustness suite pins it the same way: SIGKILL of a
// random member, over and over, under heavy put traffic, with --snapshot-count=100.
import type { FaultStep } from "../harness/run/fault-schedule.ts";
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./phased.ts";
import { baseSettings, type RunSettings, type Scenario } from "./scenario.ts";

const warmupMs = 2000;
const tailMs = 3000;
/** A kill, the restart half a second later, and time for the member to rejoin before the next. */
const killEveryMs = 2500;
const downMs = 500;

function killLoop({ timeMs }: RunSettings): FaultStep[] {
  const steps: FaultStep[] = [];
  for (let atMs = warmupMs; atMs + downMs <= timeMs - tailMs; atMs += killEveryMs) {
    steps.push({ atMs, fault: "kill", target: "random", durationMs: downMs });
  }
  return steps;
}

export const etcd13766: Scenario = {
  name: "etcd-13766",
  summary: "etcd issue 13766: SIGKILL a random member every 2.5s under ~1000 writes/s; on 3.5.2 (the default here) a restarted member loses a write, 3.5.3 fixed it",
  defaults: { ...baseSettings, timeMs: 60_000, rate: 1000, concurrency: 12, keys: 50 },
  allowedNodes: [3, 5],
  etcdVersion: "3.5.2",
  etcdFlags: ["--snapshot-count=100"],
  schedule: killLoop,
  checkers: faultCheckers,
  availability: availability(),
  // On the buggy release the verdict is invalid when the bug strikes; the fixed releases must stay valid.
  expected: "valid",
};
