// revision-monotonic: a member's answers in real-time order never carry a lower revision than an earlier one's.
import { describe, expect, it } from "vitest";
import { revisionMonotonicChecker } from "../../../checkers/revision-monotonic.ts";
import { historyOf, recordedRun, type OpRow } from "./fixtures.ts";

let nextProcess = 0;
const op = (node: string, invoke: number, complete: number, revision: number, type: OpRow["type"] = "ok"): OpRow => ({ process: nextProcess++, f: "write", key: "k", node, invoke, complete, type, revision });
const fromProcess = (first: number) => (nextProcess = first);
const check = (rows: OpRow[]) => revisionMonotonicChecker.check(recordedRun({ history: historyOf(rows) }));

describe("revision-monotonic", () => {
  it("is valid when each member's revisions only go up, and compares only operations in real-time order", () => {
    // n1's second answer overlaps the first (sent before it completed): a lower revision there is no violation.
    const result = check([op("n1", 0, 1, 10), op("n1", 0.5, 1.5, 9), op("n1", 2, 2.1, 12), op("n2", 0, 1, 5), op("n2", 2, 3, 11)]);
    expect(result).toMatchObject({ verdict: "valid", compared: 2, members: ["n1", "n2"] });
  });

  it("is invalid, naming both answers, when a member answers below a revision it answered at before (a restart that lost revisions)", () => {
    fromProcess(1);
    const result = check([op("n1", 0, 1, 1014), op("n1", 2, 2.1, 1020), op("n1", 5, 5.1, 1013), op("n2", 5, 5.1, 900)]);
    expect(result.verdict).toBe("invalid");
    expect(result.anomalies).toHaveLength(1);
    const [anomaly] = result.anomalies;
    expect(anomaly).toMatchObject({ kind: "revision-went-back", members: ["n1"] });
    expect(anomaly!.explanation).toBe("n1 answered write(k) by process 3 at 5.10s at revision 1013, after it had answered write(k) by process 2 at 2.10s at revision 1020: 7 revisions lost");
  });

  it("ignores failed and uncertain operations, and is unknown when no answer carried a revision", () => {
    expect(check([op("n1", 0, 1, 10), op("n1", 2, 3, 1, "info"), op("n1", 4, 5, 2, "fail")]).verdict).toBe("valid");
    expect(check([{ process: 1, f: "read", node: "n1", invoke: 0, complete: 1, type: "ok" }]).verdict).toBe("unknown");
  });
});
