// Link faults are the real thing: latency slows replication, a bandwidth cap caps, reset_peer cuts, each heals clean.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startCluster } from "../../harness/cluster/docker/docker-cluster.ts";
import { type DockerCluster } from "../../harness/cluster/docker/docker-cluster.ts";
import { exchange } from "../../harness/cluster/link-probe.ts";
import { parseLink, placementsOf } from "../../harness/cluster/links.ts";
import { metricSamples } from "../../harness/cluster/member-metrics.ts";
import { deadline } from "../../harness/clients/etcd-client.ts";
import { defaultEtcdVersion } from "../../harness/images/run-images.ts";
import { nemesisNamed } from "../../nemesis/registry.ts";
import type { FaultContext, FaultHandle, FaultParams } from "../../nemesis/nemesis.ts";
import { measuredEffect } from "../support/fault-effect.ts";

let cluster: DockerCluster;
let context: FaultContext;
/** Faults injected by the test under way, healed after it whatever happened. */
const open: FaultHandle[] = [];

beforeAll(async () => {
  cluster = await startCluster({ size: 3, etcdVersion: await defaultEtcdVersion() });
  context = { cluster };
});

afterAll(async () => {
  await cluster?.stop();
});

afterEach(async () => {
  // Whatever a test left, heal it, and make sure no toxic of any fault outlives its heal.
  for (const handle of open.splice(0)) await handle.heal();
  expect(await allToxics()).toEqual([]);
  await cluster.waitForLeader(20_000);
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function allToxics(): Promise<string[]> {
  const found: string[] = [];
  for (const member of cluster.members) {
    for (const name of member.pod.proxies.keys()) {
      const api = member.pod.toxiproxy;
      const toxics = (await api.getApi().get<Array<{ name: string }>>(`${api.host}/proxies/${name}/toxics`)).data;
      found.push(...toxics.map((toxic) => `${member.name}/${name}/${toxic.name}`));
    }
  }
  return found;
}

/** Injects a fault as the schedule does, checks it is allowed first. */
async function inject(fault: string, targets: string[], params: FaultParams) {
  const nemesis = nemesisNamed(fault);
  expect(nemesis.unavailableReason(cluster, targets, params)).toBeUndefined();
  const handle = await nemesis.inject(context, targets, params);
  open.push(handle);
  return handle;
}

/** Milliseconds a put takes through the leader's own port (no client proxy): a raft round to a majority. */
async function putMs(leader: string): Promise<number> {
  const admin = cluster.member(leader).admin;
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await admin.kv.put({ key: Buffer.from("link-test/put"), value: Buffer.from(String(i)) }, deadline(10_000));
    times.push(performance.now() - started);
  }
  return median(times);
}

describe("link-latency on every peer link", () => {
  it("makes a replicated put wait for the latency twice (append out, acknowledgement back)", async () => {
    const leader = await cluster.waitForLeader(10_000);
    const before = await putMs(leader);
    const fault = await inject("link-latency", cluster.names, { latencyMs: 150, jitterMs: 0 });
    const during = await putMs(leader);
    const effect = await measuredEffect(fault);
    await fault.heal();
    const after = await putMs(leader);

    expect(before).toBeLessThan(100);
    expect(during).toBeGreaterThanOrEqual(280);
    expect(during).toBeLessThan(2000);
    expect(after).toBeLessThan(100);
    expect(effect.tookEffect, effect.evidence).toBe(true);
    expect(effect.evidence).toMatch(/n1->n2 answered in [\d.]+ms before, \d+ms with 150±0ms latency/);
  });
});

describe("link-bandwidth on a client link", () => {
  it("caps what a member sends its clients: a 150 KB value takes seconds to read", async () => {
    const value = "v".repeat(150_000);
    await cluster.member("n2").admin.kv.put({ key: Buffer.from("link-test/big"), value: Buffer.from(value) }, deadline(5000));
    const client = cluster.client("n2");
    const readMs = async (): Promise<number> => {
      const started = performance.now();
      expect(await client.get("link-test/big").options(deadline(20_000)).string()).toHaveLength(value.length);
      return performance.now() - started;
    };
    try {
      const before = await readMs();
      const fault = await inject("link-bandwidth", ["n2"], { links: "client", direction: "out", rateKBps: 50 });
      const during = await readMs();
      const effect = await measuredEffect(fault);
      await fault.heal();
      const after = await readMs();

      expect(before).toBeLessThan(500);
      // 150 KB at 50 KB/s is 3 s.
      expect(during).toBeGreaterThan(2400);
      expect(during).toBeLessThan(8000);
      expect(after).toBeLessThan(500);
      expect(effect.tookEffect, effect.evidence).toBe(true);
      expect(effect.evidence).toMatch(/n2->client carried [\d.]+ MB\/s before, [\d.]+ KB\/s with a cap of 50.0 KB\/s/);
    } finally {
      client.close();
    }
  });
});

describe("link-reset-peer on a follower's peer links", () => {
  it("resets its connections (etcd counts the disconnects), cuts it off from the leader, and lets it rejoin after heal", async () => {
    const leader = await cluster.waitForLeader(10_000);
    const follower = cluster.names.find((name) => name !== leader)!;
    const disconnects = async (): Promise<number> => {
      let total = 0;
      for (const member of cluster.members) for (const value of (await metricSamples(member, "etcd_network_disconnected_peers_total")).values()) total += value;
      return total;
    };
    const before = await disconnects();
    const fault = await inject("link-reset-peer", [follower], { timeoutMs: 200 });
    const lostLeader = await within(10_000, async () => {
      const status = (await cluster.statuses(1000)).get(follower);
      return status && !(status instanceof Error) && status.leaderId === "0";
    });
    const effect = await measuredEffect(fault);
    const during = await disconnects();
    await fault.heal();

    expect(lostLeader, `${follower} kept its leader`).toBe(true);
    expect(during).toBeGreaterThan(before);
    expect(effect.tookEffect, effect.evidence).toBe(true);
    expect(effect.evidence).toMatch(/with reset_peer after 200ms the exchange was (cut|reset) after \d+ms without an answer/);
    // The afterEach waits for every member to follow one leader again.
  });
});

describe("latency-matrix", () => {
  it("gives every directed link its own latency, measured across each link's own proxy", async () => {
    const matrix = { "n1<->n2": 40, "n1<->n3": 80, "n2<->n3": 120 };
    const injected = await inject("latency-matrix", ["n1"], { matrix, jitterMs: 0 });
    expect(injected.details["links"]).toEqual(["n1->n2", "n1->n3", "n2->n1", "n2->n3", "n3->n1", "n3->n2"]);
    for (const [pair, latency] of Object.entries(matrix)) {
      const [from, to] = pair.split("<->") as [string, string];
      const placement = placementsOf(parseLink(`${from}->${to}`))[0]!;
      const round = await cluster.links.probe(placement, (endpoint) => exchange(endpoint, { path: "/version", timeoutMs: 5000 }));
      // The request crosses from->to and the answer to->from: the latency twice.
      expect(round.firstByteMs, pair).toBeGreaterThanOrEqual(2 * latency - 5);
      expect(round.firstByteMs, pair).toBeLessThan(2 * latency + 150);
    }
    const effect = await measuredEffect(injected);
    expect(effect.tookEffect, effect.evidence).toBe(true);
  });
});

describe("link-slicer and link-slow-close", () => {
  it("slice a peer link's stream and hold back a client link's closes, while etcd keeps serving", async () => {
    const slicer = await inject("link-slicer", ["n3"], { direction: "out" });
    const slowClose = await inject("link-slow-close", ["n1"], { links: "client", direction: "out", delayMs: 600 });
    await sleep(500);
    const client = cluster.client("n1");
    try {
      await client.put("link-test/through-faults").value("1").options(deadline(5000)).exec();
    } finally {
      client.close();
    }
    const sliced = await measuredEffect(slicer);
    const slow = await measuredEffect(slowClose);
    expect(sliced.tookEffect, sliced.evidence).toBe(true);
    expect(sliced.evidence).toMatch(/n3->n1 answer of \d+ bytes arrived in [12] pieces over [\d.]+ms before, \d+ over [\d.]+ms when sliced/);
    expect(slow.tookEffect, slow.evidence).toBe(true);
    expect(slow.evidence).toMatch(/n1->client closed [\d.]+ms after its answer before, \d+ms with a 600ms close delay/);
  });

  it("refuse what they cannot show: a slicer or slow close on requests only", () => {
    for (const fault of ["link-slicer", "link-slow-close"]) {
      expect(nemesisNamed(fault).unavailableReason(cluster, ["n1"], { links: "client", direction: "in" })).toMatch(/shows only on responses/);
    }
    expect(nemesisNamed("link-latency").unavailableReason(cluster, ["n1"], { latencyMs: -5 })).toMatch(/latencyMs is a number from 0/);
    expect(nemesisNamed("latency-matrix").unavailableReason(cluster, ["n1"], { matrix: { "n1->n7": 5 } })).toMatch(/n7 is not a member/);
  });
});

async function within(budgetMs: number, condition: () => Promise<boolean | undefined>): Promise<boolean> {
  const started = Date.now();
  while (Date.now() - started < budgetMs) {
    if (await condition().catch(() => false)) return true;
    await sleep(100);
  }
  return false;
}
