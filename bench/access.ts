// npm run bench:access: every catalogue scenario (regressions aside) run plain, with TLS on both links and auth, and with clients given every member; their verdicts side by side, and what TLS and auth cost in operations per second.
//
// ACCESS_SCENARIOS narrows the scenarios ("partition-minority,kill-leader"), ACCESS_CONFIGS the
// configurations ("plain,secure,all", all three unless set); ACCESS_SEED (1 unless set)
// is the seed of every run, so the three runs of a scenario play the same schedule. Prints one line per
// run and a table: each configuration's verdict, and acknowledged operations per second of workload.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { builtInSpecs } from "../scenarios/registry.ts";
import { startHarness } from "../test/support/harness-process.ts";

const names = process.env["ACCESS_SCENARIOS"]?.split(",").map((name) => name.trim());
const seed = process.env["ACCESS_SEED"] ?? "1";
const out = fs.mkdtempSync(path.join(os.tmpdir(), "bench-access-"));
const say = (line: string): void => console.log(line);
const chosen = process.env["ACCESS_CONFIGS"]?.split(",").map((name) => name.trim()) ?? ["plain", "secure", "all"];
const configurations = [
  { name: "plain", label: "plain", args: [] as string[] },
  { name: "secure", label: "--tls both --auth", args: ["--tls", "both", "--auth"] },
  { name: "all", label: "--client-endpoints all", args: ["--client-endpoints", "all"] },
].filter((configuration) => chosen.includes(configuration.name));

const scenarios = builtInSpecs.filter((spec) => !spec.regression && spec.name !== "auth-restart" && (!names || names.includes(spec.name)));
process.env["TESTCONTAINERS_RYUK_TEST_LABEL"] = "true";
say(`bench:access: ${scenarios.length} scenarios x ${configurations.length} configurations, seed ${seed}, ${os.cpus().length} cores; reports in ${out}`);
const rows: string[] = [];
for (const spec of scenarios) {
  const cells: string[] = [];
  for (const configuration of configurations) {
    const started = performance.now();
    const harness = startHarness(["run", spec.name, ...configuration.args, "--seed", seed, "--out", out, "--json"]);
    const { code } = await harness.exit;
    const seconds = (performance.now() - started) / 1000;
    if (code === 0 || code === 1 || code === 2) {
      const results = JSON.parse(harness.stdout()) as { verdict: string; stats: { operations: { ok: number }; workloadSeconds: number }; checkers: Record<string, { verdict: string; summary: string }> };
      const rate = results.stats.operations.ok / Math.max(1, results.stats.workloadSeconds);
      const notValid = Object.entries(results.checkers).filter(([, result]) => result.verdict !== "valid").map(([name, result]) => `${name} ${result.verdict}: ${result.summary.slice(0, 200)}`);
      say(`${spec.name} ${configuration.label}: ${results.verdict}, ${rate.toFixed(0)} ok/s, ${seconds.toFixed(0)} s${notValid.length ? ` (${notValid.join("; ")})` : ""}`);
      cells.push(`${results.verdict}, ${rate.toFixed(0)} ok/s`);
    } else {
      say(`${spec.name} ${configuration.label}: exit ${code} in ${seconds.toFixed(0)} s: ${harness.stderr().trim().split("\n").at(-1)}`);
      cells.push(`exit ${code}`);
    }
  }
  rows.push(`| ${spec.name} | ${cells.join(" | ")} |`);
}
say("");
say(`| scenario | ${configurations.map((configuration) => configuration.label).join(" | ")} |`);
say(`| --- | ${configurations.map(() => "---").join(" | ")} |`);
for (const row of rows) say(row);
