// Every reference history in ../shared/data/histories gets the verdict expected.tsv gives it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkHistory, createModel, guessModel } from "../../../../checkers/linearizability/index.ts";
import { readHistoryFile } from "../../../../record/history/history-file.ts";
import { referenceHistoriesDir } from "../../../support/reference-histories.ts";

const root = `${referenceHistoriesDir()}/`;
const rows = readFileSync(root + "expected.tsv", "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => line.split("\t") as [string, "ok" | "illegal", string]);

describe("reference histories", () => {
  it("lists all 109 files", () => {
    expect(rows).toHaveLength(109);
  });

  for (const [file, expected, ops] of rows) {
    it(`${file} is ${expected}`, async () => {
      const history = await readHistoryFile(root + file);
      const result = checkHistory(history.entries, createModel(guessModel(history.entries, history.format)), { timeoutMs: 60_000 });
      expect(result.verdict).toBe(expected === "ok" ? "valid" : "invalid");
      expect(result.operations + result.dropped).toBe(Number(ops));
      if (result.verdict === "invalid") {
        const bad = result.partitions.find((p) => p.verdict === "invalid");
        expect(bad?.verdict === "invalid" && bad.counterexample.blocked.outcome).toBe("ok");
      }
    });
  }
});
