// The service under the harness: its leader's etcd member paused, cut off and killed, and the lock checker's verdict on "never two leaders working at once".
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEtcdCluster, type ClusterFault, type EtcdTestCluster, type RecordingVerdict } from "etcd-chaos-harness";
import { LeaderService } from "../src/leader-service.ts";

const ttlSeconds = 2;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let cluster: EtcdTestCluster;

beforeAll(async () => {
  console.log(`node ${process.version}`);
  cluster = await startEtcdCluster({ members: 3 });
  console.log(await cluster.statusTable());
});

afterAll(async () => {
  await cluster?.stop();
});

/**
 * Two instances, a on one follower's endpoint and b on the other's. Once a leads, `fault` hits a's member
 * (right after a finished a piece of work) and is held for `holdMs`; then both run on a while, stop, and
 * the lock checker judges every piece of work each did as a critical section.
 */
async function rehearse(name: string, fenced: boolean, fault: (member: string) => Promise<ClusterFault>, holdMs: number): Promise<RecordingVerdict & { b: LeaderService }> {
  const expected = fenced ? "valid" : "invalid";
  const recording = cluster.record({ name });
  const raftLeader = await cluster.waitForLeader();
  const [aMember, bMember] = cluster.members.filter((member) => member !== raftLeader) as [string, string];
  const service = (instance: string, member: string): LeaderService =>
    new LeaderService({ name: instance, endpoints: [cluster.endpointOf(member)], election: name, ttlSeconds, fenced, record: { recording, node: member } });
  const a = service("a", aMember);
  const b = service("b", bMember);
  a.start();
  await a.elected();
  b.start();
  await sleep(1000);
  await a.idle();
  {
    await using _fault = await fault(aMember);
    await sleep(holdMs);
  }
  await sleep(3000);
  await Promise.all([a.stop(), b.stop()]);
  const verdict = await recording.finish({ checkers: ["lock"], expected });
  console.log(`${name}: ${verdict.summary}\nreport: ${verdict.dir}`);
  return { ...verdict, b };
}

describe("a leader-elected service whose leader's etcd member is paused", () => {
  it("unfenced, the deposed leader goes on working beside the new one: invalid", async () => {
    const { verdict, results, b } = await rehearse("unfenced-pause", false, (member) => cluster.pause(member), 8000);
    expect(b.worked).toBeGreaterThan(0);
    expect(verdict).toBe("invalid");
    const lock = results.checkers["lock"]!;
    expect(lock.anomalies[0]?.kind).toBe("lock-held-past-lease");
    const overlaps = lock["overlaps"] as Array<{ faults: Array<{ fault: string; inPlace: boolean }> }>;
    expect(overlaps[0]?.faults.filter((fault) => fault.inPlace).map((fault) => fault.fault)).toContain("pause");
  });

  it("fenced with its leader key's revision, no two leaders work at once: valid", async () => {
    const { verdict, results, b } = await rehearse("fenced-pause", true, (member) => cluster.pause(member), 8000);
    expect(b.worked).toBeGreaterThan(0);
    expect(verdict, results.checkers["lock"]?.summary).toBe("valid");
  });
});

describe("the fenced service under the other faults on its leader's member", () => {
  it("cut off from the other members by a partition: valid, and leadership moved", async () => {
    const { verdict, results, b } = await rehearse("fenced-partition", true, (member) => cluster.partition([member]), 8000);
    expect(b.worked).toBeGreaterThan(0);
    expect(verdict, results.checkers["lock"]?.summary).toBe("valid");
  });

  it("killed (and restarted by the heal): valid, and leadership moved", async () => {
    const { verdict, results, b } = await rehearse("fenced-kill", true, (member) => cluster.kill(member), 6000);
    expect(b.worked).toBeGreaterThan(0);
    expect(verdict, results.checkers["lock"]?.summary).toBe("valid");
  });
});
