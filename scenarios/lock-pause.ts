// Lock scenarios after Jepsen's etcd 3.4.3 finding that a lease-based lock is only as safe as its lease: a holder paused past its TTL.
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./fault-checkers.ts";

/** One lock, 2 s leases (etcd's shortest with default timing): a pause of a few seconds outlasts a lease. */
const lockSettings = { keys: 1, rate: 50, lockTtl: "2s" };

export const lockPause: ScenarioSpec = {
  name: "lock-pause",
  summary: "simulated GC pause of the lock holder's client (not etcd) past its 2s lease, twice; another client takes the lock meanwhile",
  allowedNodes: [1, 3, 5, 7],
  workload: "lock",
  settings: lockSettings,
  schedule: {
    phases: [
      { fault: "client-pause", target: "all" },
      { fault: "client-pause", target: "all" },
    ],
  },
  checkers: faultCheckers(availability()),
  expected: "invalid",
};

/**
 * The pause waits (up to 6.5 s, as holds last 5-6 s) for a client to take the lock, so it starts at the
 * beginning of a critical section; 12 s windows leave the member stopped long enough for the lease to
 * expire even when it was the leader (a new leader extends every lease by an election timeout).
 */
export const lockPauseMember: ScenarioSpec = {
  name: "lock-pause-member",
  summary: "SIGSTOP the etcd member of a client that just took a lock and works 5-6s under a 2s lease kept alive, twice",
  allowedNodes: [3, 5, 7],
  time: "30s",
  workload: "lock",
  settings: { ...lockSettings, lockHold: ["5s", "6s"] },
  schedule: {
    phases: [
      { fault: "holder-member-pause", target: "all", params: { waitMs: 6500 } },
      { fault: "holder-member-pause", target: "all", params: { waitMs: 6500 } },
    ],
  },
  // One holder at a time for 5-6 s: an acquire and a release acknowledged per hold, the rest refused.
  checkers: faultCheckers(availability([], 0.2)),
  expected: "invalid",
};
