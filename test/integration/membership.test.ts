// Membership changes on real clusters under load: replace (follower, leader), learner and promotion, grow and shrink.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseSettings } from "../../scenarios/scenario.ts";
import { deadline } from "../../harness/clients/etcd-client.ts";
import { startCluster } from "../../harness/cluster/docker/docker-cluster.ts";
import { type DockerCluster } from "../../harness/cluster/docker/docker-cluster.ts";
import { memberList } from "../../harness/cluster/member-status.ts";
import type { Replaced, Resized } from "../../harness/cluster/membership.ts";
import { docker } from "../../harness/engine/docker-engine.ts";
import type { HistoryEntry } from "../../record/history/entry.ts";
import { etcdImage, recipeFor } from "../../harness/images/catalog.ts";
import { imageState } from "../../harness/images/ensure-images.ts";
import { defaultEtcdVersion } from "../../harness/images/run-images.ts";
import { probeConvergence } from "../../harness/probes/convergence-probe.ts";
import { runWorkload } from "../../workloads/run-workload.ts";
import { checkHistory, createModel } from "../../checkers/linearizability/index.ts";
import { replaceEffect, replaceNemesis } from "../../nemesis/membership.ts";
import { pairOperations } from "../../checkers/operations.ts";
import { watchChecker, type WatcherSummary } from "../../checkers/watch.ts";
import type { FaultHandle } from "../../nemesis/nemesis.ts";
import { measuredEffect } from "../support/fault-effect.ts";
import { clusterIdOf, leftovers, leftoversAfter, startHarness } from "../support/harness-process.ts";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What must survive a replace: the pod (container, address), its proxies and the proxies other pods keep to it. */
function placeOf(cluster: DockerCluster, name: string): Record<string, unknown> {
  const member = cluster.member(name);
  return {
    pod: member.pod.container.getId(),
    ip: member.pod.ip,
    proxies: [...member.pod.proxies.keys()].sort(),
    inbound: cluster.members.filter((other) => other.name !== name).map((other) => other.pod.proxies.has(`${other.name}->${name}`)),
  };
}

/** Every member at one revision with one HashKV there, after everything settled. */
async function expectConverged(cluster: DockerCluster): Promise<void> {
  const probe = await probeConvergence(cluster, 30_000);
  expect(probe.error, JSON.stringify(probe.revisions)).toBeUndefined();
  expect(Object.keys(probe.hashes!).sort()).toEqual([...cluster.names].sort());
  expect(new Set(Object.values(probe.hashes!)).size, JSON.stringify(probe.hashes)).toBe(1);
}

function expectLinearizable(history: HistoryEntry[]): void {
  const result = checkHistory(history, createModel("register"));
  expect(result.verdict, JSON.stringify(result.partitions.filter((partition) => partition.verdict !== "valid")).slice(0, 2000)).toBe("valid");
  expect(result.operations).toBeGreaterThan(200);
}

/** Acknowledged operations a member served after a moment of the run clock. */
const servedAfter = (history: HistoryEntry[], node: string, time: number): number =>
  history.filter((entry) => entry.type === "ok" && entry.node === node && entry.time > time).length;

async function expectRemoved(containerId: string): Promise<void> {
  await expect(docker().getContainer(containerId).inspect()).rejects.toThrow(/no such container/i);
}

/** Replaces a follower, then the leader, under a register workload, and checks what the brief promises. */
async function replaceFollowerThenLeader(cluster: DockerCluster, seed: number): Promise<void> {
  const names = [...cluster.names];
  const places = new Map(names.map((name) => [name, placeOf(cluster, name)]));
  const containers = new Map(names.map((name) => [name, cluster.member(name).etcd.getId()]));
  const replaced: Array<Replaced & { at: number }> = [];
  const { history } = await runWorkload(cluster, {
    workload: "register",
    timeMs: 1000,
    seed,
    async during(recorder) {
      await sleep(500);
      const leader = await cluster.waitForLeader(10_000);
      replaced.push({ ...(await cluster.membership.replace(names.find((name) => name !== leader)!)), at: recorder.clock.now() });
      replaced.push({ ...(await cluster.membership.replace(await cluster.waitForLeader(20_000))), at: recorder.clock.now() });
      // Let the slots at home on the replaced members come back to them.
      await sleep(2000);
    },
  });

  expect(replaced.map((entry) => entry.wasLeader)).toEqual([false, true]);
  for (const entry of replaced) {
    expect(entry.catchUp.caughtUp, entry.catchUp.evidence).toBe(true);
    expect(entry.newId).not.toBe(entry.oldId);
    expect(cluster.member(entry.name).id).toBe(entry.newId);
    expect(placeOf(cluster, entry.name)).toEqual(places.get(entry.name));
    await expectRemoved(containers.get(entry.name)!);
    for (const member of cluster.members) {
      const listed = await memberList(member.admin, 3000);
      expect(listed.filter((info) => info.name === entry.name).map((info) => info.id)).toEqual([entry.newId]);
      expect(listed.some((info) => info.id === entry.oldId)).toBe(false);
    }
    expect(servedAfter(history, entry.name, entry.at), `ok operations on ${entry.name} after its replacement`).toBeGreaterThan(10);
  }
  expect(cluster.names).toEqual(names);
  await cluster.waitForLeader(20_000);
  await expectConverged(cluster);
  expectLinearizable(history);
}

describe("membership changes on etcd (default release)", () => {
  let cluster: DockerCluster;

  beforeAll(async () => {
    cluster = await startCluster({ size: 3, etcdVersion: await defaultEtcdVersion() });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it("replaces a follower, then the leader: new ids, same names, addresses and proxies, caught up, linearizable", async () => {
    await replaceFollowerThenLeader(cluster, 5);
  });

  it("adds a learner that catches up and refuses linearizable reads, then promotes it to a voter", async () => {
    const added = await cluster.membership.add({ learner: true });
    expect(added.name).toBe("n4");
    expect(added.catchUp.caughtUp, added.catchUp.evidence).toBe(true);
    expect((await cluster.membership.members()).find((info) => info.id === added.id)?.isLearner).toBe(true);
    const client = cluster.client(added.name);
    try {
      await expect(client.get("any").options(deadline(3000)).string()).rejects.toThrow(/not supported for learner/);
      const promoted = await cluster.membership.promote(added.name);
      expect(promoted.catchUp.caughtUp, promoted.catchUp.evidence).toBe(true);
      expect((await cluster.membership.members()).find((info) => info.id === added.id)?.isLearner).toBe(false);
      expect(cluster.member(added.name).learner).toBeUndefined();
      // As a voter it serves linearizable reads.
      expect(await client.get("any").options(deadline(3000)).string()).toBeNull();
    } finally {
      client.close();
    }
    const etcdContainer = cluster.member(added.name).etcd.getId();
    await cluster.membership.remove(added.name);
    expect(cluster.names).toEqual(["n1", "n2", "n3"]);
    expect(cluster.membership.vacantPlaces()).toEqual(["n4"]);
    await expectRemoved(etcdContainer);
    expect((await cluster.membership.members()).map((info) => info.name).sort()).toEqual(["n1", "n2", "n3"]);
  });

  it("judges a replace whose member cannot reach its peers as not taking effect; a later replace repairs it", async () => {
    const leader = await cluster.waitForLeader(10_000);
    const target = cluster.names.find((name) => name !== leader)!;
    // The pod stays through a replace, and so do the blackholes on its peer links.
    await cluster.links.partition([[target], cluster.names.filter((name) => name !== target)]);
    let injected: FaultHandle;
    try {
      injected = await replaceNemesis.inject({ cluster }, [target], { catchUpBudgetMs: 8000 });
    } finally {
      await cluster.links.healAll();
    }
    const effect = await measuredEffect(injected);
    expect(effect.tookEffect).toBe(false);
    expect(effect.evidence).toMatch(new RegExp(`${target} did not catch up within 8000ms`));
    const repaired = await cluster.membership.replace(target);
    expect(repaired.catchUp.caughtUp, repaired.catchUp.evidence).toBe(true);
    expect(replaceEffect(repaired).held).toBe(true);
    await cluster.waitForLeader(20_000);
    await expectConverged(cluster);
  });
});

describe("growing and shrinking under load", () => {
  it("grows 3 -> 5 and shrinks to 3 by removing the oldest: clients move, all converge, no container is left after stop", async () => {
    const cluster = await startCluster({ size: 3, etcdVersion: await defaultEtcdVersion() });
    let grown: Resized | undefined;
    let shrunk: Resized | undefined;
    let shrunkAt = 0;
    let containersAfterShrink = -1;
    try {
      const { history } = await runWorkload(cluster, {
        workload: "register",
        timeMs: 1000,
        seed: 7,
        async during(recorder) {
          await sleep(500);
          grown = await cluster.membership.resize(5);
          expect(cluster.names).toEqual(["n1", "n2", "n3", "n4", "n5"]);
          shrunk = await cluster.membership.resize(3, { shrinkOrder: "oldest" });
          containersAfterShrink = (await leftovers(cluster.clusterId)).containers.length;
          // The leader may have been removed: count what the members serve once they follow a new one.
          await cluster.waitForLeader(20_000);
          shrunkAt = recorder.clock.now();
          await sleep(2000);
        },
      });
      expect(grown!.added.map((added) => [added.name, added.catchUp.caughtUp])).toEqual([["n4", true], ["n5", true]]);
      expect(shrunk!.removed.map((removed) => removed.name)).toEqual(["n1", "n2"]);
      expect(cluster.names).toEqual(["n3", "n4", "n5"]);
      expect((await cluster.membership.members()).map((info) => info.name).sort()).toEqual(["n3", "n4", "n5"]);
      // Five pods stay until the end; only the three members' etcd containers run.
      expect(containersAfterShrink).toBe(5 + 3);
      for (const name of ["n4", "n5"]) expect(servedAfter(history, name, shrunkAt), `ok operations on ${name} after the shrink`).toBeGreaterThan(10);
      expect(servedAfter(history, "n1", shrunkAt) + servedAfter(history, "n2", shrunkAt)).toBe(0);
      await cluster.waitForLeader(20_000);
      await expectConverged(cluster);
      expectLinearizable(history);
    } finally {
      await cluster.stop();
    }
    expect(await leftovers(cluster.clusterId)).toEqual({ containers: [], networks: [] });
  });
});

describe("watchers through a member removal", () => {
  it("moves the watcher of a removed member to a member left, as a new process on the same chain, and misses no write", async () => {
    const cluster = await startCluster({ size: 3, etcdVersion: await defaultEtcdVersion() });
    let removedAt = 0;
    try {
      const { history } = await runWorkload(cluster, {
        workload: "watch",
        timeMs: 9000,
        seed: 9,
        async during(recorder) {
          await sleep(1500);
          await cluster.membership.remove("n1");
          removedAt = recorder.clock.now();
        },
      });
      const sessions = pairOperations(history).filter((op) => op.f === "watch");
      const ofWatcher = (index: number) => sessions.filter((op) => (op.invoke.value as { watcher: number }).watcher === index);
      // Watcher 0 lived on n1: sessions before the removal there, after it on n2 or n3.
      expect(ofWatcher(0).some((op) => op.node === "n1")).toBe(true);
      const later = ofWatcher(0).filter((op) => op.invoke.time > removedAt);
      expect(later.length).toBeGreaterThan(0);
      for (const op of later) expect(["n2", "n3"]).toContain(op.node);
      const onN1 = new Set(ofWatcher(0).filter((op) => op.node === "n1").map((op) => op.process));
      for (const op of later) expect(onN1.has(op.process), "a new binding is a new process").toBe(false);
      const result = watchChecker.check({ history, faults: [], statuses: [], members: cluster.names, probes: {}, settings: baseSettings });
      expect(result.verdict, result.summary).toBe("valid");
      for (const watcher of result["watchers"] as WatcherSummary[]) expect(watcher.notJudgedAfter, watcher.watcher).toBe(0);
    } finally {
      await cluster.stop();
    }
  });
});

describe("interrupted while growing", () => {
  it("removes every container, the added members' included, on SIGINT in the middle of a resize", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "harness-runs-"));
    const run = startHarness(["run", "grow-shrink", "--time", "30s", "--out", out]);
    await run.waitFor(/cluster eh-[0-9a-f]+ healthy/, 60_000);
    const clusterId = clusterIdOf(run.stderr());
    // The growth starts 2 s into the workload; interrupt once a pod of an added member exists.
    const started = Date.now();
    while (!(await leftovers(clusterId)).containers.some((name) => /-n4$/.test(name)) && Date.now() - started < 30_000) await sleep(200);
    expect((await leftovers(clusterId)).containers.some((name) => /-n4$/.test(name)), "a pod for n4 was created").toBe(true);
    run.child.kill("SIGINT");
    const { code } = await run.exit;
    expect(code, run.stderr()).toBe(130);
    expect(await leftoversAfter(0, clusterId), run.stderr()).toEqual({ containers: [], networks: [] });
  });
});

const oldest = "3.4.23";
const oldestBuilt = (await imageState(recipeFor(etcdImage(oldest)))) === "current";

describe.skipIf(!oldestBuilt)(`membership changes on etcd ${oldest}`, () => {
  it("replaces a follower, then the leader, as on the default release", async () => {
    const cluster = await startCluster({ size: 3, etcdVersion: oldest });
    try {
      await replaceFollowerThenLeader(cluster, 9);
    } finally {
      await cluster.stop();
    }
  });
});
