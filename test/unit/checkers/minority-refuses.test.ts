// minority-refuses: what a cut-off member acknowledged while cut off, judged from the history.
import { describe, expect, it } from "vitest";
import { minorityRefusesChecker } from "../../../checkers/minority-refuses.ts";
import { history, recordedRun } from "./fixtures.ts";

describe("minority-refuses", () => {
  it("is valid when every operation on the cut-off member inside the window failed or timed out", () => {
    const run = recordedRun({
      history: history([
        [1, "write", "n1", 3, 4, "info", 7],
        [2, "read", "n1", 3, 4, "fail"],
        [3, "write", "n2", 3, 3.1, "ok", 8],
      ]),
    });
    const result = minorityRefusesChecker.check(run);
    expect(result.verdict).toBe("valid");
    expect(result["judged"]).toBe(2);
  });

  it("names a write the cut-off member acknowledged while cut off", () => {
    const run = recordedRun({ history: history([[1, "write", "n1", 3, 3.2, "ok", 7]]) });
    const result = minorityRefusesChecker.check(run);
    expect(result.verdict).toBe("invalid");
    expect(result["acknowledged"]).toMatchObject([{ process: 1, f: "write", node: "n1", value: 7 }]);
  });

  it("names a linearizable read served by the cut-off member", () => {
    const run = recordedRun({ history: history([[1, "read", "n1", 5, 5.1, "ok", 3]]) });
    expect(minorityRefusesChecker.check(run).verdict).toBe("invalid");
  });

  it("lets serializable reads be served locally, as etcd documents", () => {
    const run = recordedRun({ readMode: "serializable", history: history([[1, "read", "n1", 5, 5.1, "ok", 3], [2, "write", "n1", 5, 6, "info", 4]]) });
    expect(minorityRefusesChecker.check(run).verdict).toBe("valid");
  });

  it("does not judge operations straddling the cut or the heal", () => {
    const run = recordedRun({
      history: history([
        [1, "write", "n1", 1.9, 2.5, "ok", 1],
        [2, "write", "n1", 7.9, 8.2, "ok", 2],
        [3, "write", "n1", 4, 5, "info", 3],
      ]),
    });
    const result = minorityRefusesChecker.check(run);
    expect(result.verdict).toBe("valid");
    expect(result["judged"]).toBe(1);
  });

  it("is unknown when nothing was tried on the cut-off member, or there was no partition", () => {
    expect(minorityRefusesChecker.check(recordedRun({ history: history([[1, "write", "n2", 3, 4, "ok", 1]]) })).verdict).toBe("unknown");
    expect(minorityRefusesChecker.check(recordedRun({ faults: [] })).verdict).toBe("unknown");
  });
});
