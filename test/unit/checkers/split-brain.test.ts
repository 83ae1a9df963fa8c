// split-brain: two leaders in a term, and operations acknowledged by a member while the evidence shows it cut off.
import { describe, expect, it } from "vitest";
import { splitBrainChecker, type CutOffOperation, type TermConflict } from "../../../checkers/split-brain.ts";
import type { RaftRole } from "../../../record/status.ts";
import type { StatusSample } from "../../../record/status.ts";
import { historyOf, recordedRun, s, type OpRow } from "./fixtures.ts";

const ids: Record<string, string> = { n1: "a1", n2: "b2", n3: "c3" };

interface View {
  commit: number;
  /** Raft's term and leader; the member's role follows from them unless given. */
  term?: number;
  lead?: string | null;
  role?: RaftRole;
  revision?: number;
  /** When the round was asked; defaults to 50 ms before the answer. */
  requestedS?: number;
}

function sample(member: string, atS: number, view: View): StatusSample {
  const term = view.term ?? 2;
  const lead = view.lead === undefined ? "n1" : view.lead;
  return {
    time: s(atS),
    requested: s(view.requestedS ?? atS - 0.05),
    member,
    leader: lead,
    term,
    raftIndex: view.commit,
    appliedIndex: view.commit,
    revision: view.revision ?? view.commit,
    raft: {
      id: ids[member]!,
      term,
      role: view.role ?? (lead === member ? "leader" : lead === null ? "pre-candidate" : "follower"),
      lead,
      leadId: lead === null ? null : ids[lead]!,
      commit: view.commit,
    },
  };
}

/** Every member following n1 in term 2 at commit 100 at 1s, so there is a "before" for every operation. */
const settled = ["n1", "n2", "n3"].map((member) => sample(member, 1, { commit: 100 }));

const check = (statuses: StatusSample[], rows: OpRow[] = [], readMode: "linearizable" | "serializable" = "linearizable") =>
  splitBrainChecker.check(recordedRun({ statuses: [...settled, ...statuses], history: historyOf(rows), faults: [], readMode }));

describe("split-brain: leaders per term", () => {
  it("is valid when an old leader still believes it leads in an older term while a new one leads a newer term", () => {
    const result = check([
      sample("n1", 3, { commit: 120, term: 2, lead: "n1" }),
      sample("n2", 3, { commit: 150, term: 3, lead: "n2" }),
      sample("n3", 3, { commit: 150, term: 3, lead: "n2" }),
    ]);
    expect(result.verdict).toBe("valid");
    expect(result["terms"]).toBe(2);
  });

  it("names the term, the members and their revisions when two members each lead the same term", () => {
    const result = check([
      sample("n1", 3, { commit: 120, term: 3, lead: "n1", revision: 61 }),
      sample("n2", 3.2, { commit: 150, term: 3, lead: "n2", revision: 75 }),
    ]);
    expect(result.verdict).toBe("invalid");
    const conflicts = result["termConflicts"] as TermConflict[];
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({
      term: 3,
      leaders: [
        { leader: "n1", id: "a1", reportedBy: [{ member: "n1", revisions: [61] }] },
        { leader: "n2", id: "b2", reportedBy: [{ member: "n2", revisions: [75] }] },
      ],
    });
    expect(result.summary).toMatch(/term 3 had 2 leaders: n1 \(n1 at 3\.0-3\.0s, revision 61\) and n2 \(n2 at 3\.2-3\.2s, revision 75\)/);
  });

  it("catches followers of different leaders in one term, even when no leader itself was sampled", () => {
    const result = check([
      sample("n2", 4, { commit: 150, term: 4, lead: "n1" }),
      sample("n3", 4, { commit: 150, term: 4, lead: "n2" }),
    ]);
    expect(result.verdict).toBe("invalid");
    expect((result["termConflicts"] as TermConflict[])[0]!.term).toBe(4);
  });

  it("is unknown when no sample carries raft's own term and leader", () => {
    const plain = settled.map(({ raft: _raft, ...rest }) => rest);
    const result = splitBrainChecker.check(recordedRun({ statuses: plain, faults: [] }));
    expect(result.verdict).toBe("unknown");
    expect(result.summary).toMatch(/no status sample carries raft's term/);
  });
});

describe("split-brain: operations acknowledged while cut off", () => {
  // n2 and n3 commit on to 150 by 2.9s; n1 is still at 100 when asked at 3.7s, after the operations.
  const cutOffN1 = [
    sample("n2", 2.9, { commit: 150, revision: 80 }),
    sample("n3", 2.9, { commit: 150, revision: 80 }),
    sample("n1", 3.75, { commit: 100, lead: null, revision: 60, requestedS: 3.7 }),
  ];

  it("names a write acknowledged by a member whose commit index afterwards was below what the others committed before it", () => {
    const result = check(cutOffN1, [{ process: 4, f: "write", key: "r1", node: "n1", invoke: 3, complete: 3.6, type: "ok", value: 17 }]);
    expect(result.verdict).toBe("invalid");
    const acknowledged = (result["cutOff"] as { acknowledged: CutOffOperation[] }).acknowledged;
    expect(acknowledged).toMatchObject([
      {
        process: 4,
        f: "write",
        key: "r1",
        node: "n1",
        value: 17,
        committedBefore: { member: "n2", commitIndex: 150, leader: "n1", raftTerm: 2, revision: 80 },
        memberAfter: { member: "n1", commitIndex: 100, leader: null, role: "pre-candidate", revision: 60 },
      },
    ]);
    expect(result.summary).toMatch(/n1 acknowledged write r1 \(process 4, 3\.00-3\.60s\) while cut off: its commit index was 100 at 3\.75s \(no leader, term 2, revision 60\), below index 150 that n2 reported committed at 2\.90s/);
  });

  it("names a linearizable read, and only counts it as served locally when reads are serializable", () => {
    const rows: OpRow[] = [{ process: 5, f: "read", key: "r1", node: "n1", invoke: 3, complete: 3.1, type: "ok", value: 3 }];
    const linearizable = check(cutOffN1, rows);
    expect(linearizable.verdict).toBe("invalid");
    expect(linearizable.summary).toMatch(/n1 acknowledged read r1/);
    const serializable = check(cutOffN1, rows, "serializable");
    expect(serializable.verdict).toBe("valid");
    expect(serializable["cutOff"]).toMatchObject({ judged: 0, localReadCount: 1, localReads: [{ process: 5, f: "read", node: "n1" }] });
  });

  it("is valid when the cut-off member refused or timed out, and counts those operations", () => {
    const result = check(cutOffN1, [
      { process: 4, f: "write", key: "r1", node: "n1", invoke: 3, complete: 3.6, type: "info", value: 17 },
      { process: 5, f: "read", key: "r1", node: "n1", invoke: 3, complete: 3.2, type: "fail" },
      { process: 6, f: "write", key: "r1", node: "n2", invoke: 3, complete: 3.1, type: "ok", value: 18 },
    ]);
    expect(result.verdict).toBe("valid");
    expect(result["cutOff"]).toMatchObject({ judged: 2, refused: 2, acknowledged: [] });
  });

  it("judges a client given every member by the member its answer names, and says how many operations named none", () => {
    // Such a client's invocation names no member; an answer names the one that answered, a refusal none.
    const history = historyOf([
      { process: 4, f: "write", key: "r1", node: "n1", invoke: 3, complete: 3.6, type: "ok", value: 17 },
      { process: 5, f: "write", key: "r1", invoke: 3, complete: 3.2, type: "fail", value: 18 },
    ]).map((entry) => (entry.type === "invoke" ? { ...entry, node: undefined } : entry));
    const result = splitBrainChecker.check(recordedRun({ statuses: [...settled, ...cutOffN1], history, faults: [] }));
    expect(result.verdict).toBe("invalid");
    expect(result.summary).toMatch(/^n1 acknowledged write r1 \(process 4/);
    expect(result["cutOff"]).toMatchObject({ unattributed: 1 });
    const refusedOnly = splitBrainChecker.check(recordedRun({ statuses: [...settled, ...cutOffN1], history: history.filter((entry) => entry.process === 5), faults: [] }));
    expect(refusedOnly.verdict).toBe("valid");
    expect(refusedOnly.summary).toContain("1 operations of clients given every member named no member (only an answer does)");
  });

  it("needs the member's answer to a request sent after the operation: one sent before it completed proves nothing", () => {
    const early = [...cutOffN1.slice(0, 2), sample("n1", 3.75, { commit: 100, requestedS: 3.55 }), sample("n1", 3.95, { commit: 160, requestedS: 3.9 })];
    const result = check(early, [{ process: 4, f: "write", key: "r1", node: "n1", invoke: 3, complete: 3.6, type: "ok", value: 17 }]);
    expect(result.verdict).toBe("valid");
  });

  it("does not judge an operation whose member answered afterwards only without a request time: unknown, not a guess", () => {
    // Samples recorded before request times were: the answer at 3.75s may have been asked before the write completed.
    const untimed = cutOffN1.map(({ requested: _requested, ...rest }) => rest);
    const result = check(untimed, [{ process: 4, f: "write", key: "r1", node: "n1", invoke: 3, complete: 3.6, type: "ok", value: 17 }]);
    expect(result.verdict).toBe("unknown");
    expect(result.summary).toMatch(/1 operations could not be judged: the status answers after them carry no request time/);
    expect(result["cutOff"]).toMatchObject({ untimed: 1, acknowledged: [] });
  });

  it("judges a write acknowledged by a member that committed nothing new during it, even with no one ahead", () => {
    const idle = [sample("n1", 3.75, { commit: 100, requestedS: 3.7 })];
    const write = check(idle, [{ process: 4, f: "write", key: "r1", node: "n1", invoke: 3, complete: 3.6, type: "ok", value: 17 }]);
    expect(write.verdict).toBe("invalid");
    expect(write.summary).toMatch(/no further than index 100/);
    // A read there is fine: nothing was committed that it could have missed.
    const read = check(idle, [{ process: 5, f: "read", key: "r1", node: "n1", invoke: 3, complete: 3.6, type: "ok", value: 3 }]);
    expect(read.verdict).toBe("valid");
  });

  it("judges from etcd's Status raft index in runs sampled before raft's own state was", () => {
    const plain = [...settled, ...cutOffN1].map(({ raft: _raft, ...rest }) => rest);
    const history = historyOf([{ process: 4, f: "write", key: "r1", node: "n1", invoke: 3, complete: 3.6, type: "ok", value: 17 }]);
    const result = splitBrainChecker.check(recordedRun({ statuses: plain, history, faults: [] }));
    expect(result.verdict).toBe("invalid");
    expect(result.summary).toMatch(/n1 acknowledged write r1 .* its commit index was 100 at 3\.75s \(no leader, revision 60\), below index 150/);
  });

  it("does not judge an operation whose member was restarted before it answered again", () => {
    const kill = { fault: "kill", selector: "n1", targets: ["n1"], params: {}, start: s(3.62), effective: s(3.63), healStart: s(3.64), end: s(3.65), details: {}, step: 0, signs: [] };
    const result = splitBrainChecker.check(
      recordedRun({
        statuses: [...settled, ...cutOffN1],
        history: historyOf([{ process: 4, f: "write", key: "r1", node: "n1", invoke: 3, complete: 3.6, type: "ok", value: 17 }]),
        faults: [kill],
      }),
    );
    expect(result.verdict).toBe("valid");
    expect(result["cutOff"]).toMatchObject({ notJudged: 1, judged: 0 });
  });
});
