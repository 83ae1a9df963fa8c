// Fault targets: each step's pick comes from its own stream split from the seed, so it does not depend on what else drew numbers.
import { describe, expect, it } from "vitest";
import type { Cluster } from "../../../harness/cluster/backend.ts";
import { randomStream } from "../../../harness/random.ts";
import { memberNames, resolveTargets } from "../../../nemesis/targets.ts";

/** A five-member cluster led by `leader`, as far as target resolution asks. */
function cluster(leader: string): Cluster {
  const names = ["n1", "n2", "n3", "n4", "n5"];
  const ids = new Map(names.map((name, index) => [name, String(index + 1)]));
  return {
    names,
    members: names.map((name) => ({ name, id: ids.get(name)! })),
    nameOf: (id: string) => names.find((name) => ids.get(name) === id),
    statuses: async () => new Map(names.map((name) => [name, { name, memberId: ids.get(name)!, leaderId: ids.get(leader)!, revision: 1, raftTerm: 2, raftIndex: 3, raftAppliedIndex: 3 }])),
  } as unknown as Cluster;
}

describe("resolveTargets", () => {
  it("picks the same members for a step from the same seed, however many numbers the workload drew before", async () => {
    const picks = async (drawsBefore: number) => {
      const workload = randomStream(36, "workload", "client", 0, 0);
      for (let draw = 0; draw < drawsBefore; draw++) workload.next();
      return Promise.all(["random", "minority", "majority", "follower"].map(async (selector, step) => (await resolveTargets(selector, cluster("n1"), randomStream(36, "fault", step))).targets));
    };
    const quiet = await picks(0);
    expect(await picks(12_345)).toEqual(quiet);
    // Another seed, or another step, is another stream.
    const other = await Promise.all(Array.from({ length: 20 }, async (_, seed) => (await resolveTargets("minority", cluster("n1"), randomStream(seed, "fault", 1))).targets.join(",")));
    expect(new Set(other).size).toBeGreaterThan(3);
  });

  it("resolves roles against the leader a majority agrees on, and says who it was", async () => {
    const leaderOf = (selector: string) => resolveTargets(selector, cluster("n3"), randomStream(1, "fault", 0));
    expect(await leaderOf("leader")).toEqual({ targets: ["n3"], leader: "n3" });
    const follower = await leaderOf("follower");
    expect(follower.leader).toBe("n3");
    expect(follower.targets).toHaveLength(1);
    expect(follower.targets).not.toContain("n3");
    const withLeader = await leaderOf("minority-with-leader");
    expect(withLeader.targets).toHaveLength(2);
    expect(withLeader.targets[0]).toBe("n3");
    expect((await leaderOf("random")).leader).toBeUndefined();
  });

  it("takes pinned targets as they are, and refuses one that is no longer a member", () => {
    expect(memberNames(["n2", "n4"], ["n1", "n2", "n3", "n4"])).toEqual(["n2", "n4"]);
    expect(() => memberNames(["n2", "n7"], ["n1", "n2", "n3"])).toThrow("fault target n7 is not a member (n1, n2, n3)");
  });
});
