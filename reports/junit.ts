// junit.xml: the run as one test suite with one test case per checker, for CI systems that read JUnit reports.
//
// invalid is a <failure> (the checker found a violation); unknown is an <error> (the checker could not
// decide, or a fault did not bite), not <skipped>: the run exits 2 then, and a CI dashboard should not
// show it as passed. A run that did not finish adds a test case "run" with an <error>.
import type { CheckResult } from "../record/check-result.ts";
import type { RunResults } from "../record/results.ts";
import { describeAccess } from "../record/settings.ts";
import { etcdPhrase, flagsPhrase } from "./etcd-facts.ts";
import { anomaliesText } from "./anomaly-text.ts";
import type { NamedOperation } from "./operations.ts";
import { replayable, replayCommand } from "./run-commands.ts";

const evidenceChars = 4000;

/** `operations`: the run's operations by invocation index, so each anomaly's operations are spelled out. */
export function junitXml(results: RunResults, operations: ReadonlyMap<number, NamedOperation> = new Map()): string {
  const classname = `${results.scenario}.etcd-${results.etcd}`;
  const cases = Object.entries(results.checkers).map(([name, result]) => checkerCase(classname, name, result, operations));
  if (results.error) {
    cases.push(`    <testcase classname="${xmlAttr(classname)}" name="run" time="${seconds(results.stats.wallSeconds)}">\n      <error message="${xmlAttr(results.error)}" type="unknown"/>\n    </testcase>`);
  }
  const count = (verdict: string): number => Object.values(results.checkers).filter((result) => result.verdict === verdict).length;
  const failures = count("invalid");
  const errors = count("unknown") + (results.error ? 1 : 0);
  const tests = cases.length;
  const settings = results.settings;
  const properties: Array<[string, string | number]> = [
    ["scenario", results.scenario],
    ["verdict", results.verdict],
    ["expected", results.expected],
    ["etcd", results.etcd],
    ["etcd-build", etcdPhrase(results)],
    ["access", describeAccess(results.settings)],
    ...(flagsPhrase(results) ? [["etcd-flags", flagsPhrase(results)] as [string, string]] : []),
    ["seed", results.seed],
    ["nodes", settings.nodes],
    ["workload", settings.workload],
    ["read-mode", settings.readMode],
    ["time-ms", settings.timeMs],
    ["report-dir", results.reportDir],
    ...(replayable(results) ? [["replay", replayCommand(results)] as [string, string]] : []),
  ];
  const suiteName = `${results.scenario} (etcd ${results.etcd}, seed ${results.seed})`;
  const attributes = `tests="${tests}" failures="${failures}" errors="${errors}" skipped="0" time="${seconds(results.stats.wallSeconds)}"`;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="etcd chaos harness" ${attributes}>`,
    `  <testsuite name="${xmlAttr(suiteName)}" ${attributes} timestamp="${xmlAttr(results.startedAt.replace(/\.\d+Z$/, "Z"))}">`,
    `    <properties>`,
    ...properties.map(([name, value]) => `      <property name="${xmlAttr(name)}" value="${xmlAttr(String(value))}"/>`),
    `    </properties>`,
    ...cases,
    `    <system-out>${xmlText(`verdict ${results.verdict}; ${replayable(results) ? `replay with: ${replayCommand(results)}; ` : ""}report: ${results.reportDir}/index.html`)}</system-out>`,
    `  </testsuite>`,
    `</testsuites>`,
    ``,
  ].join("\n");
}

function checkerCase(classname: string, name: string, result: CheckResult, operations: ReadonlyMap<number, NamedOperation>): string {
  const elapsed = result.elapsedMs !== undefined ? seconds(result.elapsedMs / 1000) : "0";
  const open = `    <testcase classname="${xmlAttr(classname)}" name="${xmlAttr(name)}" time="${elapsed}">`;
  if (result.verdict === "valid") return `${open}\n      <system-out>${xmlText(result.summary)}</system-out>\n    </testcase>`;
  const tag = result.verdict === "invalid" ? "failure" : "error";
  const body = result.anomalies.length > 0 ? `${result.summary}\n\n${anomaliesText(result.anomalies, operations, evidenceChars)}` : result.summary;
  return `${open}\n      <${tag} message="${xmlAttr(result.summary)}" type="${result.verdict}">${xmlText(body)}</${tag}>\n    </testcase>`;
}

const seconds = (value: number): string => (Number.isFinite(value) ? value.toFixed(3) : "0");

/** Text for XML element content; characters XML 1.0 cannot carry are dropped. */
export function xmlText(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/** Text for a double-quoted XML attribute; line breaks kept as character references. */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, "&quot;").replace(/\n/g, "&#10;");
}
