// Partitions through toxiproxy are faithful: a cut member stalls and loses its leader, the rest carry on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCluster } from "../../harness/cluster/docker/docker-cluster.ts";
import { type DockerCluster } from "../../harness/cluster/docker/docker-cluster.ts";
import { alarms, kvHash, memberList, type MemberStatus } from "../../harness/cluster/member-status.ts";
import { peerBytesReceived } from "../../harness/cluster/member-metrics.ts";
import { deadline } from "../../harness/clients/etcd-client.ts";
import { defaultEtcdVersion } from "../../harness/images/run-images.ts";

let cluster: DockerCluster;

beforeAll(async () => {
  cluster = await startCluster({ size: 3, etcdVersion: await defaultEtcdVersion() });
});

afterAll(async () => {
  await cluster?.stop();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function status(name: string): Promise<MemberStatus> {
  const answer = (await cluster.statuses(1000)).get(name);
  if (!answer || answer instanceof Error) throw new Error(`${name} did not answer: ${answer?.message}`);
  return answer;
}

async function until<T>(what: string, budgetMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() - started > budgetMs) throw new Error(`${what} not reached within ${budgetMs}ms`);
    await sleep(100);
  }
}

async function toxicsOn(pod: string, proxy: string): Promise<string[]> {
  const api = cluster.member(pod).pod.toxiproxy;
  const toxics = (await api.getApi().get<Array<{ name: string }>>(`${api.host}/proxies/${proxy}/toxics`)).data;
  return toxics.map((toxic) => toxic.name).sort();
}

async function putThrough(name: string, key: string, value: string): Promise<number> {
  const client = cluster.client(name);
  try {
    const response = await client.put(key).value(value).options(deadline(3000)).exec();
    return Number(response.header.revision);
  } finally {
    client.close();
  }
}

describe("the per-member admin clients", () => {
  it("answer status, membership and alarms, each member under its peer name", async () => {
    for (const member of cluster.members) {
      const members = await memberList(member.admin, 2000);
      expect(members.map((info) => [info.name, info.peerUrls]).sort()).toEqual([
        ["n1", ["http://peer-1:2380"]],
        ["n2", ["http://peer-2:2380"]],
        ["n3", ["http://peer-3:2380"]],
      ]);
      expect(members.find((info) => info.name === member.name)?.id).toBe(member.id);
      expect(await alarms(member.admin, 2000)).toEqual([]);
    }
  });
});

describe("a blackholed member {n1} | {n2, n3}", () => {
  it("stalls n1 without a leader while n2 and n3 commit, then catches up after heal", async () => {
    await cluster.links.partition([["n1"], ["n2", "n3"]]);
    expect(cluster.links.cutLinks()).toHaveLength(4);

    // n1 notices within an election timeout or two and forgets its leader.
    await until("n1 without leader", 10_000, async () => ((await status("n1")).leaderId === "0" ? true : undefined));
    const majorityLeader = await until("a leader for n2 and n3", 10_000, async () => {
      const [n2, n3] = [await status("n2"), await status("n3")];
      return n2.leaderId !== "0" && n2.leaderId === n3.leaderId ? n2.leaderId : undefined;
    });
    expect(cluster.nameOf(majorityLeader)).not.toBe("n1");

    const stalledIndex = (await status("n1")).raftIndex;
    const revisions: number[] = [];
    for (let i = 0; i < 10; i++) revisions.push(await putThrough(i % 2 ? "n2" : "n3", `cut/${i}`, `v${i}`));
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
    await sleep(500);
    const n1 = await status("n1");
    expect(n1.raftIndex).toBe(stalledIndex);
    expect(n1.leaderId).toBe("0");
    expect(n1.revision).toBeLessThan(revisions.at(-1)!);

    // The majority's own links were never touched; every link to or from n1 carries a blackhole.
    expect(await toxicsOn("n2", "n2->n3")).toEqual([]);
    expect(await toxicsOn("n3", "n3->n2")).toEqual([]);
    expect(await toxicsOn("n1", "n1->n2")).toEqual(["blackhole-downstream", "blackhole-upstream"]);
    expect(await toxicsOn("n2", "n2->n1")).toEqual(["blackhole-downstream", "blackhole-upstream"]);

    await cluster.links.healAll();
    expect(cluster.links.cutLinks()).toEqual([]);
    const target = revisions.at(-1)!;
    await until("n1 caught up", 15_000, async () => ((await status("n1")).revision >= target ? true : undefined));
    await cluster.waitForLeader(10_000);
    const hashes = await Promise.all(cluster.members.map((member) => kvHash(member.admin, target, 2000)));
    expect(new Set(hashes.map((hash) => hash.hash)).size).toBe(1);
  });
});

describe("a one-way cut follower -> leader", () => {
  // Followers talk only to the leader, so the one-way cut goes from a follower to the leader: the
  // leader stops hearing the follower, while the follower keeps receiving the leader's appends.
  it("stops what the follower sends while what the leader sends still arrives", async () => {
    const leader = cluster.member(await cluster.waitForLeader(10_000));
    const follower = cluster.members.find((member) => member !== leader)!;
    await cluster.links.blackhole([{ from: follower.name, to: leader.name }]);
    await sleep(500); // let bytes already in flight land
    const received = async () => ({
      followerFromLeader: await peerBytesReceived(follower, leader.id),
      leaderFromFollower: await peerBytesReceived(leader, follower.id),
    });
    const before = await received();
    for (let i = 0; i < 5; i++) await putThrough(leader.name, `oneway/${i}`, `v${i}`);
    await sleep(1500);
    const after = await received();
    await cluster.links.healAll();
    expect(after.followerFromLeader).toBeGreaterThan(before.followerFromLeader);
    expect(after.leaderFromFollower).toBe(before.leaderFromFollower);
  });
});
