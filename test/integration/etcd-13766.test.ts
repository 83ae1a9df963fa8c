// A known etcd bug found again: etcd issue 13766 (3.5.0-3.5.2 skip a write after a crash under load), caught on 3.5.2, absent on 3.5.3.
//
// The race is hit by chance: a run of 120 s kills a follower 77 times, and on 3.5.2 4 of 10 runs measured
// ended with the members apart (README, "A known etcd bug found again"). So the buggy release gets up to
// ten runs to show it (a miss in all ten: about 0.6% at that rate); the fixed one must stay valid.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startHarness } from "../support/harness-process.ts";

const out = (): string => fs.mkdtempSync(path.join(os.tmpdir(), "harness-13766-"));
const runTime = "120s";
const attemptsOnBuggyRelease = 10;
const runBudgetMs = 240_000;

interface CheckerResult {
  verdict: string;
  summary: string;
  revisions?: Record<string, number>;
  appliedIndexes?: Record<string, number>;
}

async function runScenario(version: string): Promise<{ code: number | null; checkers: Record<string, CheckerResult>; stderr: string }> {
  const run = startHarness(["run", "etcd-13766", "--etcd", version, "--time", runTime, "--out", out(), "--json"]);
  const { code } = await run.exit;
  const results = JSON.parse(run.stdout());
  expect(results.etcd).toBe(version);
  return { code, checkers: results.checkers, stderr: run.stderr() };
}

describe("etcd issue 13766", () => {
  it(
    "on 3.5.2 a follower restarted under load skips a write: members end apart after applying the same log",
    async () => {
      const seen: string[] = [];
      for (let attempt = 1; attempt <= attemptsOnBuggyRelease; attempt++) {
        const { code, checkers, stderr } = await runScenario("3.5.2");
        const convergence = checkers["convergence"]!;
        seen.push(`attempt ${attempt}: exit ${code}, ${convergence.summary}`);
        if (convergence.verdict !== "invalid") {
          expect(code, stderr).toBe(0);
          continue;
        }
        expect(code).toBe(1);
        // Either the members stay revisions apart after applying the same log (a write skipped), or they
        // reach one revision holding different data (a later cas then went the other way on that member).
        const apart = new Set(Object.values(convergence.revisions ?? {})).size > 1;
        if (apart) expect(convergence.summary).toContain("applied the same log to different effect");
        else expect(convergence.summary).toMatch(/members disagree on HashKV at revision \d+/);
        // Nothing else is wrong with the run: the faults bit, and etcd kept one leader per term.
        expect(checkers["faults-took-effect"]!.verdict).toBe("valid");
        expect(checkers["split-brain"]!.verdict).toBe("valid");
        return;
      }
      expect.fail(`3.5.2 never showed the bug in ${attemptsOnBuggyRelease} runs of ${runTime}:\n${seen.join("\n")}`);
    },
    attemptsOnBuggyRelease * runBudgetMs,
  );

  it(
    "on 3.5.3, which fixed it, the same kill loop ends valid",
    async () => {
      const { code, checkers, stderr } = await runScenario("3.5.3");
      expect(checkers["convergence"]!.verdict, checkers["convergence"]!.summary).toBe("valid");
      expect(code, stderr).toBe(0);
    },
    runBudgetMs,
  );
});
