// npm run bench:zoo: every regression scenario run on its buggy and its fixed release; how often each catches its bug, and that the fix stays valid.
//
// A regression's race is hit by chance, so one run proves nothing either way: each scenario named
// after an etcd issue runs REPRO_RUNS times (3 unless set) on its buggy release and REPRO_FIXED_RUNS
// times (as many unless set) on its fixed one (the releases are the scenario's data, see `harness list`). REPRO_ISSUES narrows it
// ("14370,17780"); REPRO_SEED_BASE changes the seeds (run i gets base + i). Prints one line per run and
// a table: runs, invalid on buggy (the catch rate), invalid on fixed (must be 0), and wall time.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { builtInSpecs } from "../scenarios/registry.ts";
import { startHarness } from "../test/support/harness-process.ts";

const runs = Number(process.env["REPRO_RUNS"] ?? 3);
const fixedRuns = Number(process.env["REPRO_FIXED_RUNS"] ?? runs);
const issues = process.env["REPRO_ISSUES"]?.split(",").map((issue) => Number(issue.trim()));
const seedBase = Number(process.env["REPRO_SEED_BASE"] ?? 1);
const out = fs.mkdtempSync(path.join(os.tmpdir(), "bench-zoo-"));
const say = (line: string): void => console.log(line);

const regressions = builtInSpecs.filter((spec) => spec.regression && (!issues || issues.includes(spec.regression.issue)));
if (regressions.length === 0) {
  console.error(`bench:zoo: no regression scenario for REPRO_ISSUES=${process.env["REPRO_ISSUES"]}; known: ${builtInSpecs.flatMap((spec) => spec.regression?.issue ?? []).join(", ")}`);
  process.exit(64);
}

interface Tally {
  runs: number;
  invalid: number;
  valid: number;
  other: number;
  seconds: number;
}

process.env["TESTCONTAINERS_RYUK_TEST_LABEL"] = "true";
say(`bench:zoo: ${regressions.length} regressions, ${runs} runs on each buggy and ${fixedRuns} on each fixed release, ${os.cpus().length} cores; reports in ${out}`);
const rows: string[] = [];
for (const spec of regressions) {
  const { issue, buggy, fixed } = spec.regression!;
  const tallies: Record<"buggy" | "fixed", Tally> = { buggy: tally(), fixed: tally() };
  for (const [side, release] of [["buggy", buggy], ["fixed", fixed]] as const) {
    for (let run = 0; run < (side === "buggy" ? runs : fixedRuns); run++) {
      const seed = seedBase + run;
      const started = performance.now();
      const harness = startHarness(["run", spec.name, "--etcd", release, "--seed", String(seed), "--out", out, "--json"]);
      const { code } = await harness.exit;
      const seconds = (performance.now() - started) / 1000;
      const entry = tallies[side];
      entry.runs += 1;
      entry.seconds += seconds;
      if (code === 0 || code === 1) {
        const results = JSON.parse(harness.stdout()) as { verdict: string; checkers: Record<string, { verdict: string; summary: string }> };
        if (code === 1) entry.invalid += 1;
        else entry.valid += 1;
        const caught = Object.entries(results.checkers).filter(([, result]) => result.verdict === "invalid").map(([name, result]) => `${name}: ${result.summary.slice(0, 160)}`);
        say(`etcd-${issue} on ${release} seed ${seed}: ${results.verdict} in ${seconds.toFixed(0)} s${caught.length ? ` (${caught.join("; ")})` : ""}`);
      } else {
        entry.other += 1;
        say(`etcd-${issue} on ${release} seed ${seed}: exit ${code} in ${seconds.toFixed(0)} s: ${harness.stderr().trim().split("\n").at(-1)}`);
      }
    }
  }
  const { buggy: b, fixed: f } = tallies;
  rows.push(
    `| [${issue}](https://github.com/etcd-io/etcd/issues/${issue}) | ${buggy} | ${b.invalid} of ${b.runs}${b.other ? ` (${b.other} did not finish)` : ""} | ${fixed} | ${f.invalid} of ${f.runs}${f.other ? ` (${f.other} did not finish)` : ""} | ${((b.seconds + f.seconds) / (b.runs + f.runs)).toFixed(0)} s |`,
  );
}
say("");
say("| etcd issue | buggy release | invalid on buggy (caught) | fixed release | invalid on fixed | wall time per run |");
say("| --- | --- | --- | --- | --- | --- |");
for (const row of rows) say(row);

function tally(): Tally {
  return { runs: 0, invalid: 0, valid: 0, other: 0, seconds: 0 };
}
