// raft.status from /debug/vars: the term, role and leader of one raft snapshot, or an error naming what was missing.
import { describe, expect, it } from "vitest";
import { parseRaftStatus, raftId } from "../../../harness/cluster/raft-status.ts";

describe("raft status", () => {
  it("reads a follower's term, leader and commit index as etcd 3.7 prints them", () => {
    const vars = {
      "raft.status": { id: "c6ff290757b2e307", term: 2, vote: "f78891178aa0735e", commit: 8, lead: "f78891178aa0735e", raftState: "StateFollower", applied: 8, progress: {}, leadtransferee: "0" },
    };
    expect(parseRaftStatus(vars)).toEqual({ id: "c6ff290757b2e307", term: 2, role: "follower", leadId: "f78891178aa0735e", commit: 8 });
  });

  it("knows no leader when raft says 0, and a pre-candidate by its state", () => {
    const vars = { "raft.status": { id: "a", term: 5, commit: 9, lead: "0", raftState: "StatePreCandidate" } };
    expect(parseRaftStatus(vars)).toMatchObject({ role: "pre-candidate", leadId: null });
  });

  it("says what it expected when raft.status is missing or malformed", () => {
    expect(() => parseRaftStatus({})).toThrow(/no raft.status with id, term, commit and raftState: null/);
    expect(() => parseRaftStatus({ "raft.status": { id: "a", term: 1, commit: 1, raftState: "StateOdd" } })).toThrow(/StateOdd/);
  });

  it("writes etcd's decimal member ids as raft's hex ids", () => {
    expect(raftId("17836665854496895838")).toBe("f78891178aa0735e");
  });
});
