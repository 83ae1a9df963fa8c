// Membership planning: free names, resize plans, the --initial-cluster of a joiner, reconfiguration refusals.
import { describe, expect, it } from "vitest";
import { isPermanentRefusal } from "../../../harness/cluster/member-admin.ts";
import { hexId, initialClusterNames, nameOfPeerUrl, nextFreeName, resizePlan } from "../../../harness/cluster/membership-plan.ts";
import type { MemberInfo } from "../../../harness/cluster/member-status.ts";

const info = (id: string, ordinal: number, name = `n${ordinal}`): MemberInfo => ({ id, name, peerUrls: [`http://peer-${ordinal}:2380`], isLearner: false });

describe("nextFreeName", () => {
  it("takes the lowest name not in use, a removed member's included", () => {
    expect(nextFreeName(["n1", "n2", "n3"])).toBe("n4");
    expect(nextFreeName(["n1", "n3", "n4"])).toBe("n2");
  });

  it("refuses past the nine peer names every pod knows", () => {
    expect(() => nextFreeName(Array.from({ length: 9 }, (_, i) => `n${i + 1}`))).toThrow(/at most 9 members/);
  });
});

describe("resizePlan", () => {
  it("grows by the lowest free names, one at a time", () => {
    expect(resizePlan(["n1", "n2", "n3"], 5)).toEqual({ add: ["n4", "n5"], remove: [] });
    expect(resizePlan(["n1", "n3"], 4)).toEqual({ add: ["n2", "n4"], remove: [] });
  });

  it("shrinks by the newest members first, or the oldest when asked", () => {
    expect(resizePlan(["n1", "n2", "n3", "n4", "n5"], 3)).toEqual({ add: [], remove: ["n5", "n4"] });
    expect(resizePlan(["n1", "n2", "n3", "n4", "n5"], 3, "oldest")).toEqual({ add: [], remove: ["n1", "n2"] });
  });

  it("does nothing at the same size and refuses sizes out of range", () => {
    expect(resizePlan(["n1", "n2", "n3"], 3)).toEqual({ add: [], remove: [] });
    expect(() => resizePlan(["n1"], 0)).toThrow(/1 to 9/);
    expect(() => resizePlan(["n1"], 10)).toThrow(/1 to 9/);
    expect(() => resizePlan(["n1"], 2.5)).toThrow(/1 to 9/);
  });
});

describe("initialClusterNames", () => {
  it("names every member etcd lists by its peer URL, the joiner without a name yet included", () => {
    const members = [info("1", 3), info("2", 1), { ...info("3", 2), name: "" }];
    expect(initialClusterNames(members, "n2")).toEqual(["n1", "n2", "n3"]);
  });

  it("refuses a list without the joiner, or with a peer URL of no pod", () => {
    expect(() => initialClusterNames([info("1", 1)], "n2")).toThrow(/does not include the joiner n2/);
    expect(() => initialClusterNames([{ ...info("1", 1), peerUrls: ["http://10.0.0.1:2380"] }], "n1")).toThrow(/none of this cluster's pods/);
  });

  it("reads only this topology's peer URLs, plain or TLS", () => {
    expect(nameOfPeerUrl("http://peer-7:2380")).toBe("n7");
    expect(nameOfPeerUrl("https://peer-1:2380")).toBe("n1");
    expect(nameOfPeerUrl("http://peer-0:2380")).toBeUndefined();
    expect(nameOfPeerUrl("ftp://peer-1:2380")).toBeUndefined();
    expect(nameOfPeerUrl("https://peer-1:2381")).toBeUndefined();
  });
});

describe("reconfiguration refusals", () => {
  it("retries what passes (strict reconfiguration checks, lagging learners, elections) and gives up on the rest", () => {
    for (const passing of [
      "14 UNAVAILABLE: etcdserver: unhealthy cluster",
      "etcdserver: re-configuration failed due to not enough started members",
      "etcdserver: can only promote a learner member which is in sync with leader",
      "etcdserver: leader changed",
      "4 DEADLINE_EXCEEDED: Deadline exceeded after 5.000s",
      "etcdserver: Peer URLs already exists",
    ]) expect(isPermanentRefusal(passing), passing).toBe(false);
    for (const permanent of ["etcdserver: too many learner members in cluster", "12 UNIMPLEMENTED: unknown method MemberPromote", "etcdserver: rpc not supported for learner"]) {
      expect(isPermanentRefusal(permanent), permanent).toBe(true);
    }
  });

  it("prints member ids as etcd does, in hex", () => {
    expect(hexId("10276657743932975437")).toBe("8e9e05c52164694d");
    expect(hexId("8e9e05c52164694d")).toBe("8e9e05c52164694d");
  });
});
