// auth: writes outside the workload user's permission are never acknowledged, and its own operations are never refused for want of permission.
import { describe, expect, it } from "vitest";
import { authChecker } from "../../../checkers/auth.ts";
import type { FaultRecord } from "../../../record/fault.ts";
import { historyOf, recordedRun, s, type OpRow } from "./fixtures.ts";

interface AuthRow extends OpRow {
  error?: string;
}

const denied = "7 PERMISSION_DENIED: etcdserver: permission denied";
let nextProcess = 1;
const outside = (node: string, at: number, type: OpRow["type"] = "fail"): AuthRow => ({ process: nextProcess++, f: "outside-write", key: `__harness/outside/${nextProcess}`, node, invoke: at, complete: at + 0.01, type, value: "forbidden", ...(type === "fail" ? { error: denied } : {}) });
const write = (node: string, at: number, type: OpRow["type"] = "ok", error?: string): AuthRow => ({ process: nextProcess++, f: "write", key: "/workload/r1", node, invoke: at, complete: at + 0.01, type, value: at, ...(error ? { error } : {}) });

const replaceOfN3: FaultRecord = { fault: "member-replace", selector: "follower", targets: ["n3"], params: {}, start: s(20), effective: s(22), healStart: s(22), end: s(22), details: {}, step: 1, signs: [] };

function check(rows: AuthRow[], faults: FaultRecord[] = []) {
  const errors = new Map(rows.filter((row) => row.error).map((row) => [row.process, row.error!]));
  const history = historyOf(rows).map((entry) => (entry.type !== "invoke" && errors.has(entry.process as number) ? { ...entry, error: errors.get(entry.process as number)! } : entry));
  return authChecker.check(recordedRun({ history, faults }));
}

describe("auth", () => {
  it("is valid when every outside write was refused and the user's own operations were granted; renewed tokens are counted, not blamed", () => {
    const result = check([outside("n1", 1), outside("n2", 2), write("n1", 3), write("n2", 4), write("n3", 5, "fail", "etcdserver: invalid auth token")]);
    expect(result).toMatchObject({ verdict: "valid", outsideWrites: 2, outsideRefused: 2, insideOk: 2, permissionRefusals: 0, tokenRefusals: { n3: 1 } });
    expect(result.summary).toContain("every member refused the 2 writes outside the workload user's permission");
  });

  it("is invalid, naming the member, when a write outside the user's permission was acknowledged", () => {
    const result = check([outside("n1", 1), outside("n2", 2, "ok"), write("n1", 3)]);
    expect(result.verdict).toBe("invalid");
    expect(result.anomalies).toHaveLength(1);
    expect(result.anomalies[0]).toMatchObject({ kind: "unauthorized-write-acknowledged", members: ["n2"] });
    expect(result.anomalies[0]!.explanation).toMatch(/^n2 acknowledged outside-write __harness\/outside\/\d+ by process \d+ at 2\.0s outside the workload user's permission$/);
  });

  it("is invalid, naming the member and the fault before, when a member refused the user's own operations (etcd issue 14571)", () => {
    const result = check([outside("n1", 1), write("n3", 10), write("n3", 25, "fail", denied), write("n1", 25.5), write("n3", 26, "fail", denied)], [replaceOfN3]);
    expect(result.verdict).toBe("invalid");
    expect(result.anomalies).toHaveLength(1);
    expect(result.anomalies[0]).toMatchObject({ kind: "permission-lost", members: ["n3"] });
    expect(result.anomalies[0]!.explanation).toBe(`n3 refused 2 of the workload user's own operations ("${denied}") from 25.0s to 26.0s, after member-replace of n3 at 20.0s`);
  });

  it("is unknown when no outside write was refused: refusal was never seen", () => {
    const result = check([write("n1", 1), outside("n2", 2, "info")]);
    expect(result.verdict).toBe("unknown");
    expect(result.summary).toContain("no write outside the workload user's permission was answered (1 sent)");
  });
});
