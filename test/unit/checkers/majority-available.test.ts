// majority-available: the quorum side's acknowledged writes per second during a partition.
import { describe, expect, it } from "vitest";
import { majorityAvailableChecker } from "../../../checkers/majority-available.ts";
import { history, recordedRun } from "./fixtures.ts";

const checker = majorityAvailableChecker(1);

describe("majority-available", () => {
  it("is valid when the majority acknowledged at least one write per second of the partition", () => {
    const rows = Array.from({ length: 12 }, (_, i) => [i, "write", i % 2 ? "n2" : "n3", 2 + i * 0.5, 2.1 + i * 0.5, "ok", i] as const);
    const result = checker.check(recordedRun({ history: history(rows.map((row) => [...row])) }));
    expect(result.verdict).toBe("valid");
    expect(result["windows"]).toMatchObject([{ majority: ["n2", "n3"], acknowledgedWrites: 12 }]);
  });

  it("is invalid when the majority stopped serving, and counts neither the minority's nor failed writes", () => {
    const result = checker.check(
      recordedRun({
        history: history([
          [1, "write", "n2", 3, 3.1, "ok", 1],
          [2, "write", "n1", 3, 3.1, "ok", 2],
          [3, "write", "n3", 4, 5, "info", 3],
          [4, "read", "n3", 4, 4.1, "ok", 1],
        ]),
      }),
    );
    expect(result.verdict).toBe("invalid");
    expect(result["windows"]).toMatchObject([{ acknowledgedWrites: 1 }]);
  });
});
