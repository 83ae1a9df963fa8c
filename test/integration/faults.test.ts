// Every partition shape and process fault bites on a real cluster, heals, and leaves a linearizable history.
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { judgeFault } from "../../checkers/fault-effects.ts";
import { StatusSampler } from "../../harness/probes/status-sampler.ts";
import { nemesisNamed } from "../../nemesis/registry.ts";
import { type FaultRecord, type FaultStep } from "../../record/fault.ts";
import { playSchedule } from "../../runner/play-schedule.ts";
import { checkHistory, createModel, defaultEtcdVersion, runWorkload, startCluster } from "../../index.ts";
import { type DockerCluster } from "../../harness/cluster/docker/docker-cluster.ts";

let cluster: DockerCluster;

beforeAll(async () => {
  cluster = await startCluster({ size: 5, etcdVersion: await defaultEtcdVersion() });
});

afterAll(async () => {
  await cluster?.stop();
});

/** Runs the steps under a register workload; returns the fault records, judged, and the history. */
async function underLoad(steps: FaultStep[], timeMs: number) {
  let records: FaultRecord[] = [];
  let sampler: StatusSampler | undefined;
  const { history } = await runWorkload(cluster, {
    workload: "register",
    timeMs,
    seed: 3,
    during: async (recorder) => {
      sampler = new StatusSampler(cluster, recorder.clock, path.join(fs.mkdtempSync(path.join(os.tmpdir(), "faults-")), "status.jsonl"));
      sampler.start();
      const play = playSchedule({ steps, faults: steps.map((entry) => nemesisNamed(entry.fault)), context: { cluster }, recorder, seed: 5 });
      records = play.records;
      await play.done;
      await sampler.stop();
    },
  });
  return { records: records.map((record) => ({ ...record, ...judgeFault(record, sampler!.samples) })), history };
}

const step = (atMs: number, fault: string, target: string, params?: Record<string, unknown>): FaultStep => ({
  atMs,
  fault,
  target,
  durationMs: 3500,
  ...(params ? { params } : {}),
});

describe("fault families on a 5-member cluster under load", () => {
  it("partition shapes: isolate with the leader on either side, ring, bridge, one-way, flapping", async () => {
    const steps = [
      step(500, "partition", "minority-with-leader"),
      step(5500, "partition", "minority-without-leader"),
      step(10500, "partition-ring", "all"),
      step(15500, "partition-bridge", "follower"),
      step(20500, "partition-one-way", "leader", { direction: "out" }),
      step(25500, "partition-flapping", "minority-with-leader", { periodMs: 2000 }),
    ];
    const { records, history } = await underLoad(steps, 31_000);
    expect(records.map((record) => record.fault)).toEqual(steps.map((entry) => entry.fault));
    for (const record of records) {
      expect(record.tookEffect, `${record.fault}: ${record.evidence}`).toBe(true);
      expect(record.healed, `${record.fault}: ${record.healEvidence}`).toBe(true);
    }
    expect(cluster.links.cutLinks()).toEqual([]);
    expect(checkHistory(history, createModel("register")).verdict).toBe("valid");
  });

  it("process faults: kill the leader, kill a majority, pause a follower, graceful and rolling restarts", async () => {
    const steps = [
      step(500, "kill", "leader"),
      step(6500, "kill", "majority"),
      step(12500, "pause", "follower"),
      step(18500, "restart", "leader"),
      step(22000, "rolling-restart", "all"),
    ];
    const { records, history } = await underLoad(steps, 24_000);
    expect(records.map((record) => record.fault)).toEqual(steps.map((entry) => entry.fault));
    for (const record of records) {
      expect(record.tookEffect, `${record.fault}: ${record.evidence}`).toBe(true);
      expect(record.healed, `${record.fault}: ${record.healEvidence}`).toBe(true);
    }
    expect(records[1]!.targets).toHaveLength(3);
    expect(checkHistory(history, createModel("register")).verdict).toBe("valid");
  });
});
