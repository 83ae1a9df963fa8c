// summary.md: the run in Markdown for a CI step summary (GITHUB_STEP_SUMMARY) or a pull-request comment.
import type { Verdict } from "../record/check-result.ts";
import type { RunResults } from "../record/results.ts";
import { describeAccess } from "../record/settings.ts";
import { etcdPhrase, flagsPhrase, regressionPhrase } from "./etcd-facts.ts";
import { transitionsPhrase } from "./fault-transitions.ts";
import { replayable, replayCommand } from "./run-commands.ts";

const icon: Record<Verdict, string> = { valid: "✅", invalid: "❌", unknown: "⚠️" };
const anomaliesListed = 5;

/** `files` are the report files to link, relative to the report folder (summary.md sits in it). */
export function summaryMarkdown(results: RunResults, files: string[] = ["index.html", "results.json", "junit.xml", "history.jsonl"]): string {
  const { settings, stats } = results;
  const ops = stats.operations;
  const what = replayable(results)
    ? `${describeAccess(settings)} · ${settings.workload} workload for ${settings.timeMs / 1000}s · ${settings.readMode} reads · seed ${results.seed}`
    : `an application's history, recorded by its test for ${settings.timeMs / 1000}s`;
  const lines = [
    `## ${icon[results.verdict]} ${results.scenario}: ${results.verdict}`,
    "",
    `${etcdPhrase(results)}${flagsPhrase(results) ? ` (flags: ${flagsPhrase(results)})` : ""} · ${settings.nodes} member${settings.nodes === 1 ? "" : "s"} · ${what} · ` +
      `${ops.ok + ops.fail + ops.info} operations (${ops.ok} ok, ${ops.fail} fail, ${ops.info} info)` +
      (results.expected === results.verdict ? "" : ` · **this ${replayable(results) ? "scenario" : "test"} expects ${results.expected}**`),
    "",
  ];
  if (regressionPhrase(results)) lines.push(`Regression: ${regressionPhrase(results)}.`, "");
  if (results.error) lines.push(`> **The run did not finish cleanly:** ${cell(results.error)}`, "");
  const checkers = Object.entries(results.checkers);
  if (checkers.length > 0) {
    lines.push("| checker | verdict | summary |", "| --- | --- | --- |");
    for (const [name, result] of checkers) lines.push(`| ${cell(name)} | ${icon[result.verdict]} ${result.verdict} | ${cell(result.summary)} |`);
    lines.push("");
  }
  for (const [name, result] of checkers.filter(([, result]) => result.anomalies.length > 0)) {
    lines.push(`**${name}**: ${result.anomalies.length} ${result.anomalies.length === 1 ? "anomaly" : "anomalies"}${result.anomalies.length > anomaliesListed ? ` (the first ${anomaliesListed})` : ""}`, "");
    for (const anomaly of result.anomalies.slice(0, anomaliesListed)) lines.push(`- \`${anomaly.kind}\`: ${line(anomaly.explanation)}`);
    lines.push("");
  }
  if (results.faults.length > 0) {
    lines.push(`${transitionsPhrase(results)}:`, "", "| fault | targets | window | took effect |", "| --- | --- | --- | --- |");
    for (const fault of results.faults) {
      const effect = fault.tookEffect === true ? "✅ yes" : fault.tookEffect === false ? "⚠️ no" : "not judged";
      const window = `${(fault.start / 1e9).toFixed(1)}s–${(fault.end / 1e9).toFixed(1)}s`;
      lines.push(`| ${cell(fault.fault)} | ${cell(fault.targets.join(", "))} | ${window} | ${effect}${fault.evidence ? `: ${cell(fault.evidence)}` : ""} |`);
    }
    lines.push("");
  } else {
    lines.push("No faults were played.", "");
  }
  if (replayable(results)) lines.push("Replay this run (same scenario, settings, etcd release, seed and fault schedule):", "", "```sh", `npx ${replayCommand(results)}`, "```", "");
  lines.push(`Report \`${results.reportDir}\`: ${files.map((file) => `[${file}](${encodeURI(file)})`).join(" · ")}`, "");
  return lines.join("\n");
}

/** One line of Markdown text. */
const line = (text: string): string => text.replace(/\r?\n/g, " ");

/** Text safe inside a Markdown table cell: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}
