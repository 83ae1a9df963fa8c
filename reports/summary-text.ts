// The human summary of a run, printed on stderr at its end.
import path from "node:path";
import type { Verdict } from "../record/check-result.ts";
import type { RunResults } from "../record/results.ts";
import { describeAccess } from "../record/settings.ts";
import { etcdPhrase, flagsPhrase, regressionPhrase } from "./etcd-facts.ts";
import { transitionsPhrase } from "./fault-transitions.ts";

const mark: Record<Verdict, string> = { valid: "valid  ", invalid: "INVALID", unknown: "unknown" };

export function summaryText(results: RunResults, exitCode: number): string {
  const { settings, stats } = results;
  const ops = stats.operations;
  const lines = [
    `${results.scenario} on ${etcdPhrase(results)}, ${settings.nodes} member${settings.nodes === 1 ? "" : "s"}, ${settings.timeMs / 1000}s, seed ${results.seed}`,
    ...(flagsPhrase(results) ? [`  etcd flags: ${flagsPhrase(results)}`] : []),
    `  access: ${describeAccess(settings)}`,
    ...(regressionPhrase(results) ? [`  regression: ${regressionPhrase(results)}`] : []),
    `  operations: ${ops.ok + ops.fail + ops.info} (${ops.ok} ok, ${ops.fail} fail, ${ops.info} info) from ${stats.clientProcesses} client processes`,
    ...results.faults.map(
      (fault) =>
        `  fault: ${fault.fault} of ${fault.targets.join(",")} (${fault.selector}) ${(fault.start / 1e9).toFixed(1)}s-${(fault.end / 1e9).toFixed(1)}s: ` +
        `${fault.tookEffect ? "took effect" : "DID NOT take effect"}${fault.evidence ? ` (${fault.evidence})` : ""}`,
    ),
    ...(transitionsPhrase(results) ? [`  ${transitionsPhrase(results)}`] : []),
    ...Object.entries(results.checkers).map(([name, result]) => `  ${mark[result.verdict]} ${name}: ${result.summary}`),
    ...(results.error ? [`  error: ${results.error}`] : []),
    `verdict: ${results.verdict} (exit ${exitCode}); report: ${path.join(results.reportDir, "index.html")}`,
  ];
  return lines.join("\n");
}
