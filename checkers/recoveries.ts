// The disaster recoveries a run recorded, in the order they struck, and the words the recovery checkers share about them.
import type { FaultRecord } from "../record/fault.ts";
import { recoveryOf, type Recovery, type RunbookStep } from "../record/recovery.ts";
import type { RecordedRun } from "../record/run.ts";

export interface RecordedRecovery {
  fault: FaultRecord;
  recovery: Recovery;
}

/** Every fault of the run that carries a recovery, earliest disaster first. */
export function recoveriesOf(run: Pick<RecordedRun, "faults">): RecordedRecovery[] {
  return run.faults
    .flatMap((fault) => {
      const recovery = recoveryOf(fault.details);
      return recovery ? [{ fault, recovery }] : [];
    })
    .sort((a, b) => a.recovery.disasterAt - b.recovery.disasterAt);
}

/** Run-clock nanoseconds as seconds, to the millisecond. */
export const secondsOf = (ns: number): number => Math.round(ns / 1e6) / 1e3;

/** "snapshot-restore" -> "snapshot restore". */
export const runbookLabel = (recovery: Recovery): string => recovery.runbook.replaceAll("-", " ");

/** Why a recovery stopped short: its first failed step, with the command and what came back, or that none failed. */
export function whyUnfinished(recovery: Recovery): string {
  const failed = recovery.steps.find((step) => !step.ok);
  if (!failed) return recovery.steps.length === 0 ? "no step was recorded" : `no step failed; the last was "${recovery.steps.at(-1)!.name}"`;
  return `step "${failed.name}" failed after ${stepSeconds(failed).toFixed(1)}s (\`${failed.command}\`: ${failed.answer ?? "no answer recorded"})`;
}

export const stepSeconds = (step: RunbookStep): number => secondsOf(step.endedAt - step.startedAt);

/** "destroy n1 0.3s, snapshot restore n4 1.2s, ..." */
export const describeSteps = (steps: RunbookStep[]): string =>
  steps.map((step) => `${step.name} ${stepSeconds(step).toFixed(1)}s${step.ok ? "" : " (failed)"}`).join(", ");
