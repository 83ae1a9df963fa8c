// Durability: every acknowledged write is visible in the final reads made after the last heal, whatever was killed, replaced or filled (docs/guarantees.md).
import type { Anomaly, CheckResult } from "../record/check-result.ts";
import type { FaultRecord } from "../record/fault.ts";
import type { Checker } from "./checker.ts";
import { pairOperations, type Operation } from "./operations.ts";
import { seconds } from "./partition-windows.ts";

const maxListed = 20;

type Effect = { kind: "put"; value: string } | { kind: "delete" };

export interface KeyWrite {
  key: string;
  effect: Effect;
  acknowledged: boolean;
  op: Operation;
  /** Run-clock ns; Infinity for an uncertain write, which may take effect at any later time. */
  complete: number;
}

interface Request {
  f: string;
  key: string;
  value?: unknown;
}

interface TxnSpec {
  success?: Request[];
  failure?: Request[];
}

/** The writes an operation made (acknowledged) or may have made (uncertain), one per key it stores or deletes. */
export function writesOf(op: Operation): KeyWrite[] {
  if (op.type === "fail") return [];
  const acknowledged = op.type === "ok";
  const complete = acknowledged ? op.complete!.time : Infinity;
  const write = (key: string, effect: Effect): KeyWrite => ({ key, effect, acknowledged, op, complete });
  const key = op.key ?? "";
  switch (op.f) {
    case "write":
    case "put":
      return [write(key, { kind: "put", value: String(op.invoke.value) })];
    case "cas":
      // An acknowledged cas that returned false found another value: it wrote nothing.
      if (acknowledged && op.complete?.value === false) return [];
      return [write(key, { kind: "put", value: String((op.invoke.value as [unknown, unknown])[1]) })];
    case "delete":
      return [write(key, { kind: "delete" })];
    case "txn": {
      const spec = op.invoke.value as TxnSpec | undefined;
      const succeeded = (op.complete?.value as { succeeded?: boolean } | undefined)?.succeeded;
      const branches = acknowledged && typeof succeeded === "boolean" ? [succeeded ? spec?.success : spec?.failure] : [spec?.success, spec?.failure];
      const known = acknowledged && typeof succeeded === "boolean";
      return branches.flatMap((branch) =>
        (branch ?? []).flatMap((request): KeyWrite[] => {
          const effect: Effect | undefined =
            request.f === "put" ? { kind: "put", value: String(request.value) } : request.f === "delete" ? { kind: "delete" } : undefined;
          if (!effect) return [];
          return [known ? write(request.key, effect) : { key: request.key, effect, acknowledged: false, op, complete: Infinity }];
        }),
      );
    }
    default:
      return [];
  }
}

/** What a final read returned for its key: the value stored, or null when the key was absent. */
export function finalValue(op: Operation): string | null {
  const value = op.complete?.value;
  if (value === null || value === undefined) return null;
  if (typeof value === "object") return String((value as { value: unknown }).value);
  return String(value);
}

export interface WriteEvidence {
  /** History index of the write's invocation. */
  invokeIndex: number;
  process: number;
  f: string;
  key: string;
  value: string | null;
  node?: string;
  outcome: "acknowledged" | "uncertain";
  invokeS: number;
  completeS?: number;
  /** Faults in place while the write ran, and the first one after it. */
  faultsDuring: string[];
  faultAfter?: string;
}

export interface DurabilityViolation {
  key: string;
  /** Members whose final read returned `finalValue`. */
  members: string[];
  finalValue: string | null;
  /** History indexes of the final reads that returned it. */
  reads: number[];
  problem: string;
  lost: WriteEvidence[];
}

export const durabilityChecker: Checker = {
  name: "durability",
  check(run): CheckResult {
    const probe = run.probes.finalReads;
    if (!probe) return { verdict: "unknown", summary: "no final reads were recorded, so nothing shows what the cluster kept", anomalies: [] };
    if (probe.skipped) return { verdict: "valid", summary: `nothing to check: ${probe.skipped}`, anomalies: [], workload: probe.workload };
    const finals = new Set(probe.processes);
    const ops = pairOperations(run.history);
    const reads = ops.filter((op) => finals.has(op.process));
    const writesByKey = new Map<string, KeyWrite[]>();
    for (const op of ops) {
      if (finals.has(op.process)) continue;
      for (const write of writesOf(op)) {
        const list = writesByKey.get(write.key) ?? [];
        list.push(write);
        writesByKey.set(write.key, list);
      }
    }
    const append = probe.workload === "append";
    const violations: DurabilityViolation[] = [];
    const unanswered: Array<{ key: string; members: string[] }> = [];
    let answers = 0;
    for (const key of probe.keys) {
      const byValue = new Map<string | null, string[]>();
      const readsOf = new Map<string | null, number[]>();
      for (const read of reads.filter((op) => op.key === key && op.type === "ok")) {
        const value = finalValue(read);
        byValue.set(value, [...(byValue.get(value) ?? []), read.node ?? "?"]);
        readsOf.set(value, [...(readsOf.get(value) ?? []), read.invoke.index]);
        answers++;
      }
      const answered = [...byValue.values()].flat();
      const silent = probe.members.filter((member) => !answered.includes(member));
      if (silent.length > 0) unanswered.push({ key, members: silent });
      const writes = writesByKey.get(key) ?? [];
      for (const [value, members] of byValue) {
        const problems = append ? appendProblems(value, writes, run.faults) : registerProblems(value, writes, run.faults);
        violations.push(...problems.map((problem) => ({ key, members, finalValue: value, reads: readsOf.get(value) ?? [], ...problem })));
      }
    }
    const writes = [...writesByKey.values()].flat();
    const acknowledged = writes.filter((write) => write.acknowledged).length;
    const evidence = {
      workload: probe.workload,
      keys: probe.keys.length,
      members: probe.members,
      answers,
      acknowledgedWrites: acknowledged,
      uncertainWrites: writes.length - acknowledged,
      unanswered,
      violations: violations.slice(0, maxListed),
    };
    if (violations.length > 0) {
      const lost = violations.flatMap((violation) => violation.lost);
      const first = violations[0]!;
      const named = first.lost[0] ? `: ${describeWrite(first.lost[0])}` : "";
      return {
        verdict: "invalid",
        summary: `${lost.length > 0 ? `${lost.length} acknowledged writes lost; ` : ""}key ${first.key} through ${first.members.join(",")}: ${first.problem}${named}${violations.length > 1 ? ` (${violations.length} violations)` : ""}`,
        anomalies: violations.map(anomalyOf),
        ...evidence,
      };
    }
    const wholly = unanswered.filter((entry) => entry.members.length === probe.members.length);
    if (wholly.length > 0 || probe.keys.length === 0) {
      const why = probe.keys.length === 0 ? "the workload touched no key" : `no member answered the final read of ${wholly.map((entry) => entry.key).join(", ")}`;
      return { verdict: "unknown", summary: `${why}, so durability cannot be judged there`, anomalies: [], ...evidence };
    }
    const what = append ? "acknowledged appends, each in its key's final list in order" : "acknowledged writes, each visible or superseded";
    return {
      verdict: "valid",
      summary: `${acknowledged} ${what} (${writes.length - acknowledged} uncertain) in ${answers} final reads of ${probe.keys.length} keys through ${probe.members.join(",")}`,
      anomalies: [],
      ...evidence,
    };
  },
};

function anomalyOf(violation: DurabilityViolation): Anomaly {
  const named = violation.lost[0] ? `: ${describeWrite(violation.lost[0])}` : "";
  return {
    kind: violation.lost.length > 0 ? "lost-write" : "value-never-written",
    explanation: `key ${violation.key} through ${violation.members.join(",")}: ${violation.problem}${named}`,
    ops: violation.lost.map((write) => write.invokeIndex),
    context: [{ label: `final reads that returned ${violation.finalValue ?? "no value"}`, ops: violation.reads }],
    members: violation.members,
  };
}

/**
 * Why a key's final value is not durable under the single-value rule; empty when it is. A final value F
 * is explained by a write that stored F (a delete, or the key's initial absence, explains an absent
 * key). A write w is superseded by an acknowledged write a when a was invoked after w completed: a then
 * took effect after w, before the final reads. F is durable when some write explaining it is not
 * superseded; otherwise the acknowledged writes that superseded every explanation (the latest of them)
 * are lost. An uncertain write never completed, so nothing supersedes it.
 */
function registerProblems(value: string | null, writes: KeyWrite[], faults: FaultRecord[]): Array<Pick<DurabilityViolation, "problem" | "lost">> {
  const acknowledged = writes.filter((write) => write.acknowledged);
  const stores = (write: KeyWrite): boolean => (value === null ? write.effect.kind === "delete" : write.effect.kind === "put" && write.effect.value === value);
  const candidates: Array<KeyWrite | undefined> = writes.filter(stores);
  // undefined stands for the key's initial absence, complete before the history began.
  if (value === null) candidates.push(undefined);
  if (candidates.length === 0) return [{ problem: `the final value ${value} was never written`, lost: [] }];
  const completeOf = (write: KeyWrite | undefined): number => write?.complete ?? -Infinity;
  const superseding = (write: KeyWrite | undefined): KeyWrite[] => acknowledged.filter((other) => other !== write && other.op.invoke.time > completeOf(write));
  const best = candidates.reduce((latest, candidate) => (completeOf(candidate) > completeOf(latest) ? candidate : latest));
  const superseders = superseding(best);
  if (superseders.length === 0) return [];
  // The latest superseders: those no other superseder came after.
  const lost = superseders.filter((write) => !superseders.some((other) => other.op.invoke.time > write.complete));
  const source = best ? `written by ${describeWrite(evidenceOf(best, faults))}` : "the key's initial absence";
  return [{ problem: `final value ${value ?? "absent"} (${source}) hides ${superseders.length} acknowledged writes invoked after it completed`, lost: lost.map((write) => evidenceOf(write, faults)) }];
}

/**
 * Why a key's final list is not durable under the append rule; empty when it is. Each committed append
 * puts the whole list it read plus its element, guarded on the key's mod revision, so every committed
 * list is a prefix of every later one: each acknowledged append's list must be a prefix of the final
 * list, an append invoked after another was acknowledged must sit after it, and the final list must be
 * one some append wrote.
 */
function appendProblems(value: string | null, writes: KeyWrite[], faults: FaultRecord[]): Array<Pick<DurabilityViolation, "problem" | "lost">> {
  const parse = (text: string): number[] | undefined => {
    try {
      const parsed: unknown = JSON.parse(text);
      return Array.isArray(parsed) ? (parsed as number[]) : undefined;
    } catch {
      return undefined;
    }
  };
  const final = value === null ? [] : parse(value);
  if (!final) return [{ problem: `the final value ${value} is not a list`, lost: [] }];
  const appends = writes.flatMap((write) => {
    const list = write.effect.kind === "put" ? parse(write.effect.value) : undefined;
    return list && list.length > 0 ? [{ write, list, element: list.at(-1)! }] : [];
  });
  const problems: Array<Pick<DurabilityViolation, "problem" | "lost">> = [];
  if (final.length > 0 && !appends.some((append) => sameList(append.list, final))) {
    problems.push({ problem: `the final list [${final.join(",")}] was never written`, lost: [] });
  }
  const acknowledged = appends.filter((append) => append.write.acknowledged);
  const missing = acknowledged.filter((append) => !final.includes(append.element));
  if (missing.length > 0) {
    problems.push({
      problem: `${missing.length} acknowledged appends are missing from the final list of ${final.length} elements`,
      lost: missing.map((append) => evidenceOf(append.write, faults)),
    });
  }
  const misplaced = acknowledged.filter((append) => final.includes(append.element) && !isPrefix(append.list, final));
  if (misplaced.length > 0) {
    const first = misplaced[0]!;
    problems.push({
      problem:
        `${misplaced.length} acknowledged appends are not where they were made: ${first.element} was appended after [${first.list.slice(0, -1).join(",")}] ` +
        `but sits at position ${final.indexOf(first.element)} of [${final.join(",")}]`,
      lost: misplaced.map((append) => evidenceOf(append.write, faults)),
    });
  }
  // Real-time order: an append invoked after another was acknowledged sits after it.
  const placed = acknowledged.filter((append) => isPrefix(append.list, final));
  const byComplete = [...placed].sort((a, b) => a.write.complete - b.write.complete);
  const byInvoke = [...placed].sort((a, b) => a.write.op.invoke.time - b.write.op.invoke.time);
  let longest: (typeof placed)[number] | undefined;
  let next = 0;
  for (const later of byInvoke) {
    while (next < byComplete.length && byComplete[next]!.write.complete < later.write.op.invoke.time) {
      const earlier = byComplete[next++]!;
      if (!longest || earlier.list.length > longest.list.length) longest = earlier;
    }
    if (longest && longest.list.length >= later.list.length) {
      problems.push({
        problem: `${later.element} was appended after ${longest.element} was acknowledged, yet sits before it in the final list`,
        lost: [evidenceOf(later.write, faults)],
      });
      break;
    }
  }
  return problems;
}

const isPrefix = (prefix: number[], list: number[]): boolean => prefix.length <= list.length && prefix.every((element, index) => list[index] === element);
const sameList = (a: number[], b: number[]): boolean => a.length === b.length && isPrefix(a, b);

function evidenceOf(write: KeyWrite, faults: FaultRecord[]): WriteEvidence {
  const { op } = write;
  const invoke = op.invoke.time;
  const complete = op.complete?.time ?? Infinity;
  const around = faults.filter((fault) => fault.start <= complete && fault.end >= invoke);
  const after = faults.filter((fault) => fault.start > complete).sort((a, b) => a.start - b.start)[0];
  return {
    invokeIndex: op.invoke.index,
    process: op.process,
    f: op.f,
    key: write.key,
    value: write.effect.kind === "put" ? write.effect.value : null,
    ...(op.node !== undefined ? { node: op.node } : {}),
    outcome: write.acknowledged ? "acknowledged" : "uncertain",
    invokeS: seconds(invoke),
    ...(op.complete ? { completeS: seconds(op.complete.time) } : {}),
    faultsDuring: around.map(describeFault),
    ...(after ? { faultAfter: describeFault(after) } : {}),
  };
}

const describeFault = (fault: FaultRecord): string =>
  `${fault.fault} of ${fault.targets.join(",")} ${seconds(fault.start).toFixed(1)}-${seconds(fault.end).toFixed(1)}s`;

function describeWrite(write: WriteEvidence): string {
  const what = write.value === null ? `delete ${write.key}` : `${write.f} ${write.key}=${write.value}`;
  const when = `${write.invokeS.toFixed(2)}-${write.completeS !== undefined ? `${write.completeS.toFixed(2)}s` : "never answered"}`;
  const faults = [...write.faultsDuring.map((fault) => `during ${fault}`), ...(write.faultAfter ? [`before ${write.faultAfter}`] : [])];
  return `${write.outcome} ${what} by process ${write.process} on ${write.node ?? "?"} at ${when}${faults.length ? ` (${faults.join("; ")})` : ""}`;
}

