// The page's header: scenario, verdict, the etcd tested and its flags, seed, settings, and the commands that run it again.
import { formatDurationMs } from "../../record/duration.ts";
import type { RunResults } from "../../record/results.ts";
import { describeAccess } from "../../record/settings.ts";
import { etcdPhrase, flagsPhrase, regressionPhrase } from "../etcd-facts.ts";
import { transitionsPhrase } from "../fault-transitions.ts";
import { replayable, replayCommand, runCommand } from "../run-commands.ts";
import { escapeHtml } from "./markup.ts";

export function headerHtml(results: RunResults): string {
  const { settings, stats } = results;
  const ops = stats.operations;
  const facts: Array<[string, string]> = [
    ["etcd", etcdPhrase(results)],
    ...(flagsPhrase(results) ? [["etcd flags", flagsPhrase(results)] as [string, string]] : []),
    ...(regressionPhrase(results) ? [["regression", regressionPhrase(results)!] as [string, string]] : []),
    ...(transitionsPhrase(results) ? [["faults", transitionsPhrase(results)!] as [string, string]] : []),
    ["seed", String(results.seed)],
    ["members", String(settings.nodes)],
    ["access", describeAccess(settings)],
    ["workload", `${settings.workload} for ${formatDurationMs(settings.timeMs)}`],
    ["reads", settings.readMode],
    ["rate", `${settings.rate}/s over ${settings.concurrency} clients`],
    ["keys", `${settings.keys} (${settings.distribution})`],
    ["cas compares", settings.casCompare],
    ["op timeout", `${settings.opTimeoutMs} ms`],
    ["operations", `${ops.ok + ops.fail + ops.info} (${ops.ok} ok, ${ops.fail} fail, ${ops.info} info) from ${stats.clientProcesses} processes`],
    ["started", results.startedAt],
    ["took", `${stats.workloadSeconds.toFixed(1)} s of workload, ${stats.wallSeconds.toFixed(1)} s in all`],
  ];
  const source = replayable(results) ? "scenario" : "test";
  const expected =
    results.expected === results.verdict
      ? `as this ${source} expects`
      : `this ${source} expects <strong>${escapeHtml(results.expected)}</strong>`;
  return (
    `<header class="run-header verdict-${escapeHtml(results.verdict)}">` +
    `<div class="verdict-block"><div class="verdict" data-testid="verdict">${escapeHtml(results.verdict.toUpperCase())}</div>` +
    `<div class="expected">${expected}</div></div>` +
    `<div class="run-title"><h1>${escapeHtml(results.scenario)}</h1>` +
    `<dl class="facts">${facts.map(([name, value]) => `<div><dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd></div>`).join("")}</dl>` +
    (results.error ? `<p class="run-error">The run did not finish cleanly: ${escapeHtml(results.error)}</p>` : "") +
    (replayable(results)
      ? commandLine("replay", replayCommand(results), "same scenario, settings, release, seed and fault schedule") +
        commandLine("run", runCommand(results), "the same settings spelled out, to change one")
      : "") +
    `</div></header>`
  );
}

function commandLine(name: string, command: string, note: string): string {
  return (
    `<div class="command"><span class="label">${escapeHtml(name)}</span><code data-testid="${escapeHtml(name)}-command">${escapeHtml(command)}</code>` +
    `<button type="button" class="copy" data-copy="${escapeHtml(command)}">copy</button><span class="muted">${escapeHtml(note)}</span></div>`
  );
}
