// The recovery-time checker: how long each disaster recovery took, from the disaster to the first write the recovered cluster acknowledged, step by step.
import type { Anomaly, CheckResult, Verdict } from "../record/check-result.ts";
import { worstVerdict } from "../record/check-result.ts";
import type { Recovery } from "../record/recovery.ts";
import type { Checker } from "./checker.ts";
import { isReadOnly } from "./op-kinds.ts";
import { pairOperations, type Operation } from "./operations.ts";
import { describeSteps, recoveriesOf, runbookLabel, secondsOf, stepSeconds, whyUnfinished, type RecordedRecovery } from "./recoveries.ts";

export interface StepTiming {
  name: string;
  command: string;
  seconds: number;
  ok: boolean;
  answer?: string;
}

export interface RecoveryTiming {
  step: number;
  fault: string;
  runbook: Recovery["runbook"];
  disasterS: number;
  /** Seconds from the disaster to the clients pointed at the recovered cluster. */
  pointedAfterS?: number;
  /** Seconds from the disaster to the first write the recovered cluster acknowledged: the recovery time. */
  recoveryS?: number;
  firstWrite?: { invokeIndex: number; process: number; node?: string; f: string; key?: string; completeS: number };
  steps: StepTiming[];
  /** Writes (operations that do not only read) invoked after the clients were pointed at the recovered cluster, and of them acknowledged. */
  writesInvokedAfter: number;
  writesAcknowledgedAfter: number;
  verdict: Verdict;
  summary: string;
}

export const recoveryTimeChecker: Checker = {
  name: "recovery-time",
  check(run): CheckResult {
    const recoveries = recoveriesOf(run);
    if (recoveries.length === 0) return { verdict: "unknown", summary: "no recovery in this run", anomalies: [], recoveries: [] };
    const writes = pairOperations(run.history).filter((op) => !isReadOnly(op));
    // A recovery's clients write to the recovered cluster until the next disaster.
    const judged = recoveries.map((recorded, index) => timeRecovery(recorded, writes, recoveries[index + 1]?.recovery.disasterAt ?? Infinity));
    const timings = judged.map((entry) => entry.timing);
    return {
      verdict: worstVerdict(timings.map((timing) => timing.verdict)),
      summary: timings.map((timing) => timing.summary).join("; "),
      anomalies: judged.flatMap((entry) => (entry.anomaly ? [entry.anomaly] : [])),
      recoveries: timings,
    };
  },
};

function timeRecovery({ fault, recovery }: RecordedRecovery, writes: Operation[], until: number): { timing: RecoveryTiming; anomaly?: Anomaly } {
  const label = runbookLabel(recovery);
  const steps = recovery.steps.map((step) => ({ name: step.name, command: step.command, seconds: stepSeconds(step), ok: step.ok, ...(step.answer !== undefined ? { answer: step.answer } : {}) }));
  const base = { step: fault.step, fault: fault.fault, runbook: recovery.runbook, disasterS: secondsOf(recovery.disasterAt), steps };
  const stepList = `steps: ${describeSteps(recovery.steps) || "none recorded"}`;
  const recoveredAt = recovery.recoveredAt;
  if (recoveredAt === undefined) {
    const summary = `${label}: the clients were never pointed at a recovered cluster, ${whyUnfinished(recovery)}; ${stepList}`;
    return { timing: { ...base, writesInvokedAfter: 0, writesAcknowledgedAfter: 0, verdict: "unknown", summary } };
  }
  const since = (ns: number): number => secondsOf(ns - recovery.disasterAt);
  const pointedAfterS = since(recoveredAt);
  const pointed = `clients pointed at ${recovery.members.join(",")} after ${pointedAfterS.toFixed(1)}s`;
  // Writes invoked before the clients were pointed at the recovered cluster went to the one destroyed.
  const after = writes.filter((op) => op.invoke.time >= recoveredAt && op.invoke.time < until);
  const acknowledged = after.filter((op) => op.type === "ok").sort((a, b) => a.complete!.time - b.complete!.time);
  const counts = { pointedAfterS, writesInvokedAfter: after.length, writesAcknowledgedAfter: acknowledged.length };
  const first = acknowledged[0];
  if (first) {
    const recoveryS = since(first.complete!.time);
    const firstWrite = {
      invokeIndex: first.invoke.index,
      process: first.process,
      ...(first.node !== undefined ? { node: first.node } : {}),
      f: first.f,
      ...(first.key !== undefined ? { key: first.key } : {}),
      completeS: secondsOf(first.complete!.time),
    };
    const summary = `${label}: ${recoveryS.toFixed(1)}s from disaster to the first acknowledged write (${pointed}; ${stepList})`;
    return { timing: { ...base, ...counts, recoveryS, firstWrite, verdict: "valid", summary } };
  }
  if (after.length === 0) {
    return { timing: { ...base, ...counts, verdict: "unknown", summary: `${label}: no write was invoked after the ${pointed}, so the recovery time is not known (${stepList})` } };
  }
  const summary = `${label}: none of the ${after.length} writes invoked after the ${pointed} was acknowledged (${stepList})`;
  const lastSeen = Math.max(...after.map((op) => op.complete?.time ?? op.invoke.time));
  const anomaly: Anomaly = {
    kind: "no-write-after-recovery",
    explanation: summary,
    ops: after.slice(0, 20).map((op) => op.invoke.index),
    members: recovery.members,
    from: recoveredAt,
    to: lastSeen,
  };
  return { timing: { ...base, ...counts, verdict: "invalid", summary }, anomaly };
}
