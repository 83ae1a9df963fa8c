// Killing and restarting a member keeps its data, its address and its proxies: the pod outlives etcd.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCluster } from "../../harness/cluster/docker/docker-cluster.ts";
import { type DockerCluster } from "../../harness/cluster/docker/docker-cluster.ts";
import { isRunning } from "../../harness/cluster/docker/container-control.ts";
import { storageOf } from "../../harness/cluster/member-storage.ts";
import { deadline } from "../../harness/clients/etcd-client.ts";
import { defaultEtcdVersion } from "../../harness/images/run-images.ts";

let cluster: DockerCluster;

beforeAll(async () => {
  cluster = await startCluster({ size: 3, etcdVersion: await defaultEtcdVersion() });
});

afterAll(async () => {
  await cluster?.stop();
});

async function put(member: string, key: string, value: string): Promise<void> {
  const client = cluster.client(member);
  try {
    await client.put(key).value(value).options(deadline(3000)).exec();
  } finally {
    client.close();
  }
}

async function get(member: string, key: string): Promise<string | null> {
  const client = cluster.client(member);
  try {
    return await client.get(key).options(deadline(3000)).string();
  } finally {
    client.close();
  }
}

describe("kill and restart of a member", () => {
  // A follower, so the writes in between need no election (a write forwarded to a dead leader is lost).
  it("keeps data, member id, address and proxies", async () => {
    const leader = await cluster.waitForLeader(10_000);
    const victim = cluster.members.find((member) => member.name !== leader)!;
    const before = { id: victim.id, ip: victim.pod.ip, pod: victim.pod.container.getId(), proxies: [...victim.pod.proxies.keys()].sort() };
    await put(leader, "before-kill", "1");

    await cluster.processes.signal(victim.name, "SIGKILL");
    expect(await cluster.processes.waitForExit(victim.name, 10_000)).toBe(137);
    expect(await isRunning(victim.etcd.getId())).toBe(false);
    expect((await cluster.statuses(500)).get(victim.name)).toBeInstanceOf(Error);
    await put(leader, "while-down", "2");

    await cluster.processes.restart(victim.name);
    expect(await isRunning(victim.etcd.getId())).toBe(true);
    await cluster.waitForLeader(20_000);
    expect(victim.id).toBe(before.id);
    expect({ ip: victim.pod.ip, pod: victim.pod.container.getId(), proxies: [...victim.pod.proxies.keys()].sort() }).toEqual({
      ip: before.ip,
      pod: before.pod,
      proxies: before.proxies,
    });
    expect(await get(victim.name, "before-kill")).toBe("1");
    expect(await get(victim.name, "while-down")).toBe("2");
  });
});

describe("a member's data directory", () => {
  it("lists etcd's WAL and backend files with their sizes, and they grow with the data", async () => {
    const name = cluster.names[0]!;
    const before = await cluster.storage.files(name);
    const paths = before.map((file) => file.path);
    expect(paths.some((file) => /^member\/wal\/[0-9a-f]{16}-[0-9a-f]{16}\.wal$/.test(file)), paths.join(", ")).toBe(true);
    expect(paths).toContain("member/snap/db");
    const db = (files: typeof before) => files.find((file) => file.path === "member/snap/db")!.bytes;
    // The backend file starts preallocated (about 16 MiB); 24 MB of values make it grow past that.
    expect(db(before)).toBeGreaterThan(0);
    for (let i = 0; i < 24; i++) await put(name, `storage/${i}`, "x".repeat(1_000_000));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = db(await cluster.storage.files(name));
    expect(after).toBeGreaterThan(db(before));
    expect(after).toBeGreaterThanOrEqual((await storageOf(name, cluster.member(name).admin)).dbSize);
  });
});
