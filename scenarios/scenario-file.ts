// A user's scenario file (YAML or JSON): read, checked against the spec every built-in has, every mistake named by file:line and field.
import fs from "node:fs";
import path from "node:path";
import { LineCounter, parseDocument, type Document } from "yaml";
import { buildChecker } from "../checkers/registry.ts";
import { parseFlag } from "../harness/cluster/member-flags.ts";
import { usageError } from "../harness/errors.ts";
import { faultChoices } from "./random-schedule.ts";
import { parseRelease } from "../harness/images/etcd-releases.ts";
import { nemeses, nemesisNames } from "../nemesis/registry.ts";
import { isTargetSelector } from "../nemesis/targets.ts";
import { scenarioSpecSchema, type ScenarioSpec } from "../record/scenario-spec.ts";
import { workloadNames } from "../workloads/registry.ts";

type Path = Array<string | number>;

interface Problem {
  path: Path;
  message: string;
}

/** Whether a `harness run` argument names a file rather than a built-in scenario. */
export const looksLikeScenarioFile = (argument: string): boolean => /\.(ya?ml|json)$/i.test(argument) || argument.includes("/");

/** The spec in `file`; a usage error (exit 64) naming file:line and the field for the first problems found. */
export function readScenarioFile(file: string): ScenarioSpec {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw usageError(`${file}: cannot read the scenario file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const at = lineCounter.linePos(syntax.pos[0]);
    throw usageError(`${file}:${at.line}:${at.col}: ${syntax.message.split("\n")[0]}`);
  }
  const parsed = scenarioSpecSchema.safeParse(doc.toJS());
  const problems: Problem[] = parsed.success ? namesProblems(parsed.data) : parsed.error.issues.map((issue) => ({ path: issue.path as Path, message: issueMessage(issue) }));
  if (problems.length > 0) {
    const shown = problems.slice(0, 3).map((problem) => `${file}:${lineOf(doc, lineCounter, problem.path)}: ${fieldName(problem.path)}: ${problem.message}`);
    throw usageError(`${shown.join("; ")}${problems.length > 3 ? `; and ${problems.length - 3} more` : ""}`);
  }
  return parsed.data!;
}

/** The name a file's spec runs under: its own `name`. */
export const scenarioFileName = (file: string): string => path.basename(file).replace(/\.(ya?ml|json)$/i, "");

function issueMessage(issue: { code: string; message: string; keys?: string[] }): string {
  if (issue.code === "unrecognized_keys" && issue.keys) return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`;
  return issue.message;
}

/** What the schema cannot know: that every workload, fault, target, checker, flag and release named exists. */
function namesProblems(spec: ScenarioSpec): Problem[] {
  const problems: Problem[] = [];
  const problem = (where: Path, message: string) => problems.push({ path: where, message });
  if (spec.workload !== undefined && !workloadNames.includes(spec.workload)) problem(["workload"], `no workload named ${spec.workload}; known: ${workloadNames.join(", ")}`);
  const schedule = spec.schedule;
  const form = schedule && (["cycle", "phases", "steps", "repeat"] as const).find((key) => schedule[key] !== undefined);
  if (schedule && form) {
    schedule[form]!.forEach((step, index) => {
      if (!nemeses[step.fault]) problem(["schedule", form, index, "fault"], `no fault named ${step.fault}; known: ${nemesisNames.join(", ")}`);
      if (!isTargetSelector(step.target)) problem(["schedule", form, index, "target"], `"${step.target}" is neither a role (leader, follower, minority, majority, all, random, ...) nor member names (n2, n1+n3)`);
    });
  }
  (schedule?.random?.faults ?? []).forEach((fault, index) => {
    if (!faultChoices.some((choice) => choice.fault === fault)) {
      problem(["schedule", "random", "faults", index], `a random schedule cannot draw ${fault}; it draws from ${faultChoices.map((choice) => choice.fault).join(", ")}`);
    }
  });
  (spec.checkers ?? []).forEach((entry, index) => {
    const spec = typeof entry === "string" ? { name: entry } : { name: entry.name, ...(entry.options !== undefined ? { options: entry.options } : {}) };
    try {
      buildChecker(spec);
    } catch (error) {
      problem(typeof entry === "string" ? ["checkers", index] : ["checkers", index, "name"], (error as Error).message);
    }
    if (typeof entry !== "string" && entry.whenFault !== undefined && !nemeses[entry.whenFault]) problem(["checkers", index, "whenFault"], `no fault named ${entry.whenFault}`);
  });
  const etcd = spec.etcd ?? {};
  const release = (where: Path, version: string) => {
    const parsed = parseRelease(version);
    if ("error" in parsed) problem(where, parsed.error);
  };
  if (etcd.release !== undefined) release(["etcd", "release"], etcd.release);
  for (const [member, version] of Object.entries(etcd.members ?? {})) release(["etcd", "members", member], version);
  const flag = (where: Path, text: string) => {
    try {
      parseFlag(text);
    } catch (error) {
      problem(where, (error as Error).message);
    }
  };
  (etcd.flags ?? []).forEach((text, index) => flag(["etcd", "flags", index], text));
  for (const [member, flags] of Object.entries(etcd.memberFlags ?? {})) flags.forEach((text, index) => flag(["etcd", "memberFlags", member, index], text));
  const nodes = spec.nodes ?? 3;
  if (spec.allowedNodes && !spec.allowedNodes.includes(nodes)) problem(["allowedNodes"], `does not include nodes (${nodes})`);
  return problems;
}

/** The line of the deepest node on `where` that the file has (a missing field points at its parent). */
function lineOf(doc: Document, lineCounter: LineCounter, where: Path): string {
  for (let depth = where.length; depth >= 0; depth--) {
    const node = doc.getIn(where.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) {
      const { line, col } = lineCounter.linePos(node.range[0]);
      return `${line}:${col}`;
    }
  }
  return "1:1";
}

function fieldName(where: Path): string {
  if (where.length === 0) return "(top)";
  return where.map((part, index) => (typeof part === "number" ? `[${part}]` : index === 0 ? part : `.${part}`)).join("");
}
