// Compaction and defragmentation under load: they take effect on every member and the history stays linearizable.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkHistory, createModel } from "../../checkers/linearizability/index.ts";
import { startCluster } from "../../harness/cluster/docker/docker-cluster.ts";
import { type DockerCluster } from "../../harness/cluster/docker/docker-cluster.ts";
import { compactRevisionOf } from "../../harness/cluster/member-storage.ts";
import { deadline } from "../../harness/clients/etcd-client.ts";
import { defaultEtcdVersion } from "../../harness/images/run-images.ts";
import { runWorkload } from "../../workloads/run-workload.ts";
import { compactNemesis, compactAtCurrentRevision, defragNemesis } from "../../nemesis/admin.ts";
import type { FaultContext } from "../../nemesis/nemesis.ts";
import { measuredEffect, type MeasuredEffect } from "../support/fault-effect.ts";

let cluster: DockerCluster;
let context: FaultContext;

beforeAll(async () => {
  cluster = await startCluster({ size: 3, etcdVersion: await defaultEtcdVersion() });
  context = { cluster };
});

afterAll(async () => {
  await cluster?.stop();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Compacts through each member in turn and defragments all members, every 700 ms while the workload runs. */
async function maintain(rounds: number): Promise<Array<{ details: Record<string, unknown>; effect: MeasuredEffect }>> {
  const done: Array<{ details: Record<string, unknown>; effect: MeasuredEffect }> = [];
  const record = async (handle: Awaited<ReturnType<typeof compactNemesis.inject>>) => done.push({ details: handle.details, effect: await measuredEffect(handle) });
  for (let round = 0; round < rounds; round++) {
    await sleep(700);
    await record(await compactNemesis.inject(context, [cluster.names[round % cluster.names.length]!], {}));
    await sleep(700);
    await record(await defragNemesis.inject(context, cluster.names, {}));
  }
  return done;
}

describe.each([
  { workload: "register", model: "register" as const, settings: {} },
  { workload: "append", model: "etcd" as const, settings: {} },
  { workload: "register", model: "etcd" as const, settings: { casCompare: "mod-revision" as const } },
])("compaction and defragmentation under $workload ($model model)", ({ workload, model, settings }) => {
  it("take effect on every member each time and leave the history linearizable", async () => {
    let maintenance: Awaited<ReturnType<typeof maintain>> = [];
    const { history } = await runWorkload(cluster, {
      workload,
      timeMs: 6000,
      settings: { rate: 300, ...settings },
      during: async () => void (maintenance = await maintain(3)),
    });

    expect(maintenance).toHaveLength(6);
    for (const done of maintenance) expect(done.effect.tookEffect, done.effect.evidence).toBe(true);
    const compactions = maintenance.filter((_, index) => index % 2 === 0);
    const revisions = compactions.map((done) => done.details["revision"] as number);
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
    expect(new Set(revisions).size).toBe(3);
    for (const done of compactions) {
      expect(done.effect.evidence).toMatch(/^compacted at revision \d+ through n\d in \d+ms; compact revision n1 \S+ -> \d+, n2 \S+ -> \d+, n3 \S+ -> \d+$/);
      expect(Object.values(done.details["compactRevisions"] as Record<string, number>)).toEqual([done.details["revision"], done.details["revision"], done.details["revision"]]);
    }
    for (const done of maintenance.filter((_, index) => index % 2 === 1)) {
      expect(done.effect.evidence).toMatch(/^defragmented n1 in \d+ms: [\d.]+ [KM]B \([\d.]+ [KM]B in use\) -> [\d.]+ [KM]B \([\d.]+ [KM]B in use\); n2 .*; n3 /);
    }
    const ok = history.filter((entry) => entry.type === "ok").length;
    expect(ok).toBeGreaterThan(500);
    const result = checkHistory(history, createModel(model), { timeoutMs: 60_000 });
    expect(result.verdict).toBe("valid");
  });
});

describe("a watch workload meeting compaction", () => {
  it("records the compaction in the cancelled session and resumes from the compact revision, without spinning", async () => {
    // Compacted before any watcher starts: every watcher's first session (from revision 1) is cancelled.
    const admin = cluster.member("n1").admin;
    for (let i = 0; i < 10; i++) await admin.kv.put({ key: Buffer.from(`before-watch/${i}`), value: Buffer.from("x") }, deadline(2000));
    const first = await compactAtCurrentRevision(cluster, "n1");
    expect(first.error).toBeUndefined();

    const { history } = await runWorkload(cluster, {
      workload: "watch",
      timeMs: 5000,
      during: async () => {
        for (let i = 0; i < 3; i++) {
          await sleep(1200);
          expect((await compactAtCurrentRevision(cluster, cluster.names[i]!)).error).toBeUndefined();
        }
      },
    });

    const sessions = history.filter((entry) => entry.f === "watch" && entry.type !== "invoke");
    const values = sessions.map((entry) => entry.value as { fromRevision: number; nextRevision?: number; compactRevision?: number });
    const cancelled = values.filter((value) => value.compactRevision !== undefined);
    expect(cancelled.length).toBeGreaterThanOrEqual(2);
    for (const value of cancelled.filter((value) => value.fromRevision === 1)) expect(value.compactRevision).toBe(first.revision);
    // A cancelled session hands on its compact revision as the next start.
    for (const value of cancelled) expect(value.nextRevision ?? value.compactRevision).toBe(value.compactRevision);
    // Two watchers with 2 s sessions over 5 s, a few of them cut short: nowhere near a spin.
    expect(sessions.length).toBeLessThan(30);
    expect(await compactRevisionOf(admin)).toBeGreaterThan(first.revision);
    expect(checkHistory(history, createModel("etcd"), { timeoutMs: 60_000 }).verdict).toBe("valid");
  });
});
