// Membership faults judge their own effect: a replace needs a new id etcd lists and a member that caught up.
import { describe, expect, it } from "vitest";
import type { CatchUp } from "../../../harness/cluster/catch-up.ts";
import type { MemberInfo } from "../../../harness/cluster/member-status.ts";
import type { Added, Replaced, Resized } from "../../../harness/cluster/membership.ts";
import { changeOptions, learnerEffect, removeEffect, replaceEffect, resizeEffect } from "../../../nemesis/membership.ts";

const caughtUp: CatchUp = { caughtUp: true, revision: 420, leader: "n1", elapsedMs: 2100, evidence: "n2 caught up to revision 420 in 2.1s" };
const lagging: CatchUp = { caughtUp: false, revision: 420, leader: "n1", elapsedMs: 30_000, evidence: "n2 did not catch up within 30000ms: n2 at revision 12 of 420" };
const member = (id: string, ordinal: number, isLearner = false): MemberInfo => ({ id, name: `n${ordinal}`, peerUrls: [`http://peer-${ordinal}:2380`], isLearner });

function replaced(overrides: Partial<Replaced> = {}): Replaced {
  return {
    name: "n2",
    oldId: "10276657743932975437",
    newId: "255",
    wasLeader: true,
    catchUp: caughtUp,
    members: [member("1", 1), member("255", 2), member("3", 3)],
    elapsedMs: 5000,
    ...overrides,
  };
}

describe("replaceEffect", () => {
  it("took effect: new id, listed by etcd, caught up; the evidence names both ids in hex", () => {
    const effect = replaceEffect(replaced());
    expect(effect.held).toBe(true);
    expect(effect.what).toBe("n2 (the leader) was replaced: member id 8e9e05c52164694d -> ff; n2 caught up to revision 420 in 2.1s");
  });

  it("did not take effect when the id stayed the same", () => {
    const effect = replaceEffect(replaced({ newId: "10276657743932975437", members: [member("1", 1), member("10276657743932975437", 2)] }));
    expect(effect).toMatchObject({ held: false, what: "n2 kept its member id 8e9e05c52164694d" });
  });

  it("did not take effect when the member never caught up", () => {
    expect(replaceEffect(replaced({ catchUp: lagging }))).toMatchObject({ held: false, what: lagging.evidence });
  });

  it("did not take effect when etcd still lists the old id or not the new one", () => {
    expect(replaceEffect(replaced({ members: [member("1", 1), member("10276657743932975437", 2)] })).what).toMatch(/lists n2 as 8e9e05c52164694d, expected ff; etcd still lists the old id/);
    expect(replaceEffect(replaced({ members: [member("1", 1)] })).what).toMatch(/lists n2 as no member/);
  });
});

describe("the other membership effects", () => {
  const added = (overrides: Partial<Added> = {}): Added => ({
    name: "n4",
    id: "4",
    learner: true,
    members: [member("1", 1), member("4", 4, true)],
    catchUp: caughtUp,
    elapsedMs: 1000,
    addedAt: 1_000,
    startedAt: 1_200,
    ...overrides,
  });
  const promoted = { name: "n4", id: "4", promoteMs: 300, catchUp: caughtUp, members: [member("1", 1), member("4", 4)] };

  it("a learner must be listed as one, catch up, and be a voter after the promotion", () => {
    expect(learnerEffect(added(), promoted).held).toBe(true);
    expect(learnerEffect(added({ members: [member("4", 4)] }), promoted).what).toMatch(/did not list n4 \(4\) as a learner/);
    expect(learnerEffect(added(), { ...promoted, members: [member("4", 4, true)] }).what).toMatch(/still lists n4 as a learner/);
    expect(learnerEffect(added({ catchUp: lagging }), undefined).held).toBe(false);
  });

  it("a removal bit when etcd no longer lists the member", () => {
    const removed = [{ name: "n3", id: "3", wasLeader: false, elapsedMs: 100 }];
    expect(removeEffect(removed, [member("1", 1), member("2", 2)]).held).toBe(true);
    expect(removeEffect(removed, [member("1", 1), member("3", 3)])).toMatchObject({ held: false, what: "etcd still lists n3 (3)" });
  });

  it("a resize bit when etcd lists the size asked for and every member added caught up", () => {
    const grown: Resized = { from: 3, to: 5, added: [added({ name: "n4", learner: false }), added({ name: "n5", learner: false })], removed: [], complete: true };
    const five = [1, 2, 3, 4, 5].map((ordinal) => member(String(ordinal), ordinal));
    expect(resizeEffect(grown, five)).toMatchObject({ held: true, what: "3 -> 5 members: added n4 (caught up to revision 420 in 2.1s), added n5 (caught up to revision 420 in 2.1s)" });
    expect(resizeEffect(grown, five.slice(0, 4)).what).toBe("etcd lists 4 members, not 5");
    expect(resizeEffect({ ...grown, added: [added({ catchUp: lagging })], complete: false }, five).held).toBe(false);
  });
});

describe("changeOptions", () => {
  it("takes positive budgets from a fault's params and ignores anything else", () => {
    expect(changeOptions({ catchUpBudgetMs: 8000, reconfigBudgetMs: 5000, to: 5 })).toEqual({ catchUpBudgetMs: 8000, reconfigBudgetMs: 5000 });
    expect(changeOptions({ catchUpBudgetMs: "8s", reconfigBudgetMs: -1 })).toEqual({});
  });
});
