// The watch and lock checkers on real etcd: valid on a healthy cluster, and the lock's known unsafety under pauses caught.
//
// Jepsen found etcd 3.4.3's locks unsafe: a lease-based lock is only as safe as its lease. Here a lock
// holder's client is paused past its 2 s lease (a simulated GC pause), and in the other case the etcd
// member its client talks to is stopped while it works 6-7 s on a lease it keeps alive: either way the
// lease expires, another client takes the lock, and the first still acts. The checker must say so.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseSettings } from "../../scenarios/scenario.ts";
import type { RecordedRun } from "../../record/run.ts";
import { judgeFault } from "../../checkers/fault-effects.ts";
import { lockChecker, type LockOverlap } from "../../checkers/lock.ts";
import { pairOperations } from "../../checkers/operations.ts";
import { watchChecker, type WatcherSummary } from "../../checkers/watch.ts";
import { nemesisNamed } from "../../nemesis/registry.ts";
import { playSchedule } from "../../runner/play-schedule.ts";
import { type FaultRecord, type FaultStep } from "../../record/fault.ts";
import { defaultEtcdVersion, runWorkload, startCluster, type HistoryEntry, type WorkloadSettings } from "../../index.ts";
import { type DockerCluster } from "../../harness/cluster/docker/docker-cluster.ts";

let cluster: DockerCluster;

beforeAll(async () => {
  cluster = await startCluster({ size: 3, etcdVersion: await defaultEtcdVersion() });
});

afterAll(async () => {
  await cluster?.stop();
});

const recorded = (history: HistoryEntry[], faults: FaultRecord[] = []): RecordedRun => ({ history, faults, statuses: [], members: cluster.names, probes: {}, settings: baseSettings });

/** Runs a workload while the steps play; returns the history and the fault records. */
async function run(workload: string, timeMs: number, settings: Partial<WorkloadSettings>, steps: FaultStep[] = []) {
  let records: FaultRecord[] = [];
  const { history } = await runWorkload(cluster, {
    workload,
    timeMs,
    seed: 11,
    settings,
    during: async (recorder, processIds, clients) => {
      const play = playSchedule({ steps, faults: steps.map((step) => nemesisNamed(step.fault)), context: { cluster, history: { recorder, processIds }, clients }, recorder, seed: 3 });
      records = play.records;
      await play.done;
    },
  });
  // The faults measured their own effect; judged as the faults-took-effect checker would (no samples needed).
  return { history, faults: records.map((record) => ({ ...record, ...judgeFault(record, []) })) };
}

describe("watch checker on real etcd", () => {
  it("is valid on a healthy cluster: every write delivered to every watcher, two-key txns in one response", async () => {
    const { history } = await run("watch", 4000, {});
    const result = watchChecker.check(recorded(history));
    expect(result.verdict, result.summary).toBe("valid");
    const watchers = result["watchers"] as WatcherSummary[];
    expect(watchers.length).toBe(2);
    for (const watcher of watchers) {
      expect(watcher.sessions, watcher.watcher).toBeGreaterThan(1);
      expect(watcher.judged, watcher.watcher).toBeGreaterThan(100);
      // The drain at the end lets every watcher reach the last acknowledged write.
      expect(watcher.notJudgedAfter, watcher.watcher).toBe(0);
    }
    const txns = pairOperations(history).filter((op) => op.f === "txn" && op.type === "ok");
    expect(txns.length).toBeGreaterThan(10);
    expect(result["atomicity"]).toBe("per response and per revision");
  });
});

describe("lock checker on real etcd", () => {
  it("is valid on a healthy cluster, with 2 s leases kept alive through 3 s critical sections", async () => {
    const { history } = await run("lock", 8000, { lockTtlSeconds: 2, lockHoldMs: [2500, 3000] });
    const result = lockChecker.check(recorded(history));
    expect(result.verdict, result.summary).toBe("valid");
    expect(result["sections"]).toBeGreaterThanOrEqual(2);
    expect(result["leasesLost"]).toBe(0);
    // Each holder's acknowledged keep-alives kept its lease alive past the moment it let go.
    const releases = pairOperations(history).filter((op) => op.f === "release" && op.type === "ok");
    expect(releases.length).toBeGreaterThanOrEqual(2);
    for (const release of releases) expect((release.complete!.value as { leaseValidUntil: number }).leaseValidUntil).toBeGreaterThan(release.invoke.time);
  });

  it("catches two holders at once when the holder's client is paused past its lease (simulated GC pause)", async () => {
    const { history, faults } = await run("lock", 9000, { lockTtlSeconds: 2 }, [{ atMs: 1000, fault: "client-pause", target: "all", durationMs: 5000 }]);
    expect(faults[0]?.tookEffect, faults[0]?.evidence).toBe(true);
    const frozen = (faults[0]!.details["frozen"] as Array<{ process: number }>)[0]!.process;
    const result = lockChecker.check(recorded(history, faults));
    expect(result.verdict, result.summary).toBe("invalid");
    const overlaps = result["overlaps"] as LockOverlap[];
    // Every overlap is the paused holder's, each with a holder that came after its lease expired.
    expect(overlaps.map((overlap) => overlap.first.process), JSON.stringify(overlaps, null, 1)).toEqual(overlaps.map(() => frozen));
    const overlap = overlaps[0]!;
    expect(overlap.first).toMatchObject({ end: "release invoked", leaseLost: expect.stringContaining("lease") });
    expect(overlap.first.pausedMs).toBeGreaterThan(3000);
    expect(overlap.second.process).not.toBe(frozen);
    expect(overlap.faults).toMatchObject([{ fault: "client-pause", inPlace: true }]);
    // The paused holder's lease had expired by then: the client's fault, and the summary says so.
    expect(overlaps.map((entry) => entry.cause)).toEqual(overlaps.map(() => "lease-expired-under-holder"));
    expect(result.summary).toContain("(the client's: a lease-based lock is only as safe as its lease)");
  });

  it("catches two holders at once when the holder's etcd member is stopped while it works past its lease", async () => {
    const { history, faults } = await run("lock", 16_000, { lockTtlSeconds: 2, lockHoldMs: [6000, 7000] }, [
      { atMs: 500, fault: "holder-member-pause", target: "all", durationMs: 15_000, params: { waitMs: 7500 } },
    ]);
    expect(faults[0]?.tookEffect, faults[0]?.evidence).toBe(true);
    const member = faults[0]!.details["member"];
    const result = lockChecker.check(recorded(history, faults));
    expect(result.verdict, result.summary).toBe("invalid");
    const overlap = (result["overlaps"] as LockOverlap[])[0]!;
    expect(overlap.first.member).toBe(member);
    expect(overlap.second.member).not.toBe(member);
    expect(overlap.faults).toMatchObject([{ fault: "holder-member-pause", inPlace: true }]);
    // Its keep-alives went to the stopped member, unanswered: the lease expired on the majority, not etcd's fault.
    expect(overlap.cause).toBe("lease-expired-under-holder");
  });
});
