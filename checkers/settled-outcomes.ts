// Uncertain outcomes the run's own evidence settles: a write answered NOSPACE while the alarm was surely in force was refused unapplied.
//
// "database space exceeded" is `info` when recorded (harness/clients/outcome.ts): etcd's quota applier
// may apply a write and only then find the backend over the quota. But once a NOSPACE alarm is applied,
// every member applies writes through the capped applier, which refuses puts, writing txns and lease
// grants unapplied until the alarm is disarmed (server/etcdserver/apply: capped.go; restoreAlarms). An
// operation invoked after the alarm was committed is proposed after it, so it meets the capped applier;
// one answered before the disarm was proposed was applied before the disarm. The quota fault marks the
// history when a member's alarm listing (which goes through raft) first shows NOSPACE, and just before
// its runbook disarms (record/values/quota.ts); a run without the marks falls back on the fault's
// effective time (every member listed the alarm) and its heal start.
import type { HistoryEntry } from "../record/history/entry.ts";
import type { RecordedRun } from "../record/run.ts";
import { quotaAlarmListedMark, quotaDisarmMark } from "../record/values/quota.ts";
import { judgeFault } from "./fault-effects.ts";
import { pairOperations } from "./operations.ts";

export interface RefusalWindow {
  /** Run-clock nanoseconds: the alarm was committed before `from`, and not disarmed before `to`. */
  from: number;
  to: number;
}

export const isNospace = (error: string | undefined): boolean => /database space exceeded/i.test(error ?? "");

/** The windows in which a NOSPACE answer proves the write was refused unapplied: one per quota fault that took effect. */
export function nospaceWindows(run: Pick<RecordedRun, "faults" | "statuses" | "history">): RefusalWindow[] {
  const marks = (f: string): number[] => run.history.filter((entry) => entry.process === "nemesis" && entry.f === f).map((entry) => entry.time);
  const listed = marks(quotaAlarmListedMark);
  const disarmed = marks(quotaDisarmMark);
  return run.faults
    .filter((fault) => fault.fault === "quota" && judgeFault(fault, run.statuses)?.tookEffect === true)
    .map((fault) => {
      const from = listed.find((time) => time >= fault.start && time <= fault.effective) ?? fault.effective;
      return { from, to: disarmed.find((time) => time >= fault.healStart && time <= fault.end) ?? fault.healStart };
    });
}

/** Invoke indexes of the operations answered NOSPACE inside a window: invoked after it opened and answered before it closed. */
export function provenRefusals(run: Pick<RecordedRun, "faults" | "statuses" | "history">): Set<number> {
  const windows = nospaceWindows(run);
  const refused = new Set<number>();
  if (windows.length === 0) return refused;
  for (const op of pairOperations(run.history)) {
    const complete = op.complete;
    if (op.type === "ok" || !complete || !isNospace(complete.error)) continue;
    if (windows.some((window) => op.invoke.time >= window.from && complete.time <= window.to)) refused.add(op.invoke.index);
  }
  return refused;
}

/** The run with every proven refusal recorded `info` turned into the `fail` it was; the rest untouched. */
export function settleOutcomes(run: RecordedRun): RecordedRun {
  const refused = provenRefusals(run);
  if (refused.size === 0) return run;
  const open = new Map<number, number>();
  const history = run.history.map((entry): HistoryEntry => {
    if (entry.process === "nemesis") return entry;
    if (entry.type === "invoke") {
      open.set(entry.process, entry.index);
      return entry;
    }
    const invokedAt = open.get(entry.process);
    open.delete(entry.process);
    return entry.type === "info" && invokedAt !== undefined && refused.has(invokedAt) ? { ...entry, type: "fail" } : entry;
  });
  return { ...run, history };
}
