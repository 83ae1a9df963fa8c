// The recovery-point checker: what each disaster recovery restored against the writes acknowledged before it (a snapshot's revision exactly; a survivor's state, its losses named).
import type { Anomaly, CheckResult, Verdict } from "../record/check-result.ts";
import { worstVerdict } from "../record/check-result.ts";
import type { Recovery, RecoveryPoint } from "../record/recovery.ts";
import { span, type Checker } from "./checker.ts";
import { writesOf } from "./durability.ts";
import { pairOperations, type Operation } from "./operations.ts";
import { recoveriesOf, runbookLabel, secondsOf, whyUnfinished, type RecordedRecovery } from "./recoveries.ts";

const maxListed = 20;

/** An acknowledged write of one key's value, placed by the revision its completion carried. */
export interface PointWrite {
  key: string;
  /** The value stored; null for a delete. */
  value: string | null;
  revision: number;
  /** Run-clock seconds when it was acknowledged. */
  completeS: number;
  process: number;
  invokeIndex: number;
}

/** How many writes a list holds, and the first of them (by revision). */
export interface WriteList {
  count: number;
  first: PointWrite[];
}

export interface RecoveryPointReport {
  step: number;
  fault: string;
  runbook: Recovery["runbook"];
  recoveryPoint: RecoveryPoint;
  restoredRevision?: number;
  keysRestored: number;
  /** When the latest acknowledged write the recovered cluster kept was acknowledged, and how long before the disaster (seconds). */
  pointS?: number;
  pointBeforeDisasterS?: number;
  /** Acknowledged writes up to the recovery point: reflected in the restored state, and not. */
  present: WriteList;
  lost: WriteList;
  /** Acknowledged writes after a snapshot's revision: not restored, by the procedure. */
  after: WriteList;
  /** Acknowledged writes whose completion carried no revision, so they cannot be placed. */
  unplaced: number;
  verdict: Verdict;
  summary: string;
}

export const recoveryPointChecker: Checker = {
  name: "recovery-point",
  check(run): CheckResult {
    const recoveries = recoveriesOf(run);
    if (recoveries.length === 0) return { verdict: "unknown", summary: "no recovery in this run", anomalies: [], recoveries: [] };
    const ops = pairOperations(run.history);
    const judged = recoveries.map((recorded, index) => {
      const previous = recoveries[index - 1]?.recovery;
      // The writes that went to the cluster this recovery replaced: since the previous recovery pointed the clients at it.
      const from = previous ? (previous.recoveredAt ?? previous.disasterAt) : -Infinity;
      return judgeRecovery(recorded, ops, from);
    });
    const reports = judged.map((entry) => entry.report);
    return {
      verdict: worstVerdict(reports.map((report) => report.verdict)),
      summary: reports.map((report) => report.summary).join("; "),
      anomalies: judged.flatMap((entry) => entry.anomalies),
      recoveries: reports,
    };
  },
};

function judgeRecovery({ fault, recovery }: RecordedRecovery, ops: Operation[], from: number): { report: RecoveryPointReport; anomalies: Anomaly[] } {
  const to = recovery.recoveredAt ?? Infinity;
  const point = recovery.recoveryPoint;
  const base = { step: fault.step, fault: fault.fault, runbook: recovery.runbook, recoveryPoint: point, ...(recovery.restoredRevision !== undefined ? { restoredRevision: recovery.restoredRevision } : {}) };
  const label = describePoint(recovery);
  if (!recovery.restoredState) {
    const none: WriteList = { count: 0, first: [] };
    const summary = `${label}: the recovery did not finish, ${whyUnfinished(recovery)}`;
    return { report: { ...base, keysRestored: 0, present: none, lost: none, after: none, unplaced: 0, verdict: "unknown", summary }, anomalies: [] };
  }
  const restored = new Map<string, { value: string; modRevision: number }>();
  for (const [key, kept] of Object.entries(recovery.restoredState)) if (kept) restored.set(key, kept);

  const era = ops.filter((op) => op.invoke.time >= from && op.invoke.time < to);
  const acknowledged = era.filter((op) => op.type === "ok").flatMap(acknowledgedWrites);
  const placed = acknowledged.filter((write): write is PointWrite & { revision: number } => write.revision !== undefined).sort((a, b) => a.revision - b.revision);
  const limit = point.kind === "snapshot" ? point.revision : Infinity;
  const present: PointWrite[] = [];
  const lost: PointWrite[] = [];
  const after: PointWrite[] = [];
  const uncertainDeletes = new Set(era.flatMap((op) => (op.type === "ok" ? [] : writesOf(op))).flatMap((write) => (write.effect.kind === "delete" ? [write.key] : [])));
  // A write is reflected when the key was changed at its revision or later; a key absent, by a later delete (one whose outcome is unknown may be it).
  const reflected = (write: PointWrite): boolean => {
    const kept = restored.get(write.key);
    if (kept) return write.value === null ? kept.modRevision > write.revision : kept.modRevision >= write.revision;
    return write.value === null || uncertainDeletes.has(write.key) || placed.some((other) => other.key === write.key && other.value === null && other.revision > write.revision && other.revision <= limit);
  };
  for (const write of placed) {
    if (write.revision > limit) after.push(write);
    else if (reflected(write)) present.push(write);
    else lost.push(write);
  }

  const members = recovery.members;
  const anomalies: Anomaly[] = [];
  const written = valuesInvoked(ops.filter((op) => op.invoke.time < to));
  for (const [key, kept] of restored) {
    if (!written.get(key)?.has(kept.value)) {
      anomalies.push({ kind: "value-never-written", explanation: `key ${key} restored as ${kept.value} at revision ${kept.modRevision}: a value no client wrote`, ops: [], members });
    }
    const same = placed.find((write) => write.key === key && write.revision === kept.modRevision);
    if (same && same.value !== kept.value) {
      anomalies.push({
        kind: "wrong-restored-value",
        explanation: `key ${key} restored as ${kept.value} at revision ${kept.modRevision}, but the write at that revision was ${describeWrite(same)}`,
        ops: [same.invokeIndex],
        members,
      });
    }
    if (kept.modRevision > limit) {
      anomalies.push({ kind: "restored-after-snapshot", explanation: `key ${key} restored as ${kept.value} at revision ${kept.modRevision}, after the snapshot's revision ${limit}`, ops: [], members });
    }
  }
  // Up to a snapshot's revision nothing acknowledged may be missing; a survivor's losses are the recovery's, reported below.
  if (point.kind === "snapshot") {
    for (const key of new Set(lost.map((write) => write.key))) {
      const writes = lost.filter((write) => write.key === key).reverse();
      const latest = writes[0]!;
      const kept = restored.get(key);
      const found = kept ? `it holds ${kept.value} at revision ${kept.modRevision}` : "it is absent";
      const op = ops.find((candidate) => candidate.invoke.index === latest.invokeIndex)!;
      anomalies.push({
        kind: "lost-write",
        explanation: `key ${key}: ${describeWrite(latest)}${writes.length > 1 ? ` and ${writes.length - 1} earlier` : ""}, at or before the snapshot's revision ${limit}, not restored: ${found}`,
        ops: writes.map((write) => write.invokeIndex),
        members,
        ...span(op.invoke.time, op.complete?.time),
      });
    }
  }

  const latestKept = present.reduce<PointWrite | undefined>((latest, write) => (!latest || write.completeS > latest.completeS ? write : latest), undefined);
  const pointTimes = latestKept ? { pointS: latestKept.completeS, pointBeforeDisasterS: secondsOf(recovery.disasterAt - latestKept.completeS * 1e9) } : {};
  const list = (writes: PointWrite[]): WriteList => ({ count: writes.length, first: writes.slice(0, maxListed) });
  const report = { ...base, keysRestored: restored.size, ...pointTimes, present: list(present), lost: list(lost), after: list(after), unplaced: acknowledged.length - placed.length };
  const verdict: Verdict = anomalies.length > 0 ? "invalid" : "valid";
  const lastAfterS = Math.max(...after.map((write) => write.completeS));
  return { report: { ...report, verdict, summary: summarize(label, report, anomalies, point, lastAfterS) }, anomalies };
}

function summarize(label: string, report: Omit<RecoveryPointReport, "verdict" | "summary">, anomalies: Anomaly[], point: RecoveryPoint, lastAfterS: number): string {
  const keys = `${count(report.keysRestored, "key")} restored`;
  if (anomalies.length > 0) return `${label}: ${count(anomalies.length, "problem")} in the restored state (${keys}), first: ${anomalies[0]!.explanation}`;
  if (point.kind === "snapshot") {
    const after = report.after.count > 0 ? `, ${report.after.count} after the snapshot: not restored, by the procedure (the last acknowledged at ${lastAfterS.toFixed(2)}s)` : "";
    return `${label}: ${keys} exactly; ${report.present.count} acknowledged writes up to revision ${point.revision} present${after}`;
  }
  // A write in flight when the disaster struck may be acknowledged just after it.
  const when = (before: number) => (before >= 0 ? `${before.toFixed(2)}s before the disaster` : `${(-before).toFixed(2)}s after the disaster struck`);
  const kept = report.pointS !== undefined ? `kept the acknowledged writes up to ${report.pointS.toFixed(2)}s (${when(report.pointBeforeDisasterS!)})` : "kept no acknowledged write";
  const lost = report.lost.first.slice(0, 3).map(describeWrite).join(", ");
  return `${count(report.lost.count, "acknowledged write")} lost by the recovery${lost ? ` (${lost}${report.lost.count > 3 ? ", ..." : ""})` : ""}; ${label} ${kept}; ${keys}, ${report.present.count} acknowledged writes present`;
}

function describePoint(recovery: Recovery): string {
  const point = recovery.recoveryPoint;
  if (point.kind === "snapshot") return `${runbookLabel(recovery)} of ${point.member}'s snapshot at revision ${point.revision} (saved at ${secondsOf(point.savedAt).toFixed(2)}s)`;
  return `${runbookLabel(recovery)} from ${point.member} at revision ${point.revision}`;
}

const describeWrite = (write: PointWrite): string =>
  `${write.value === null ? `delete ${write.key}` : `${write.key}=${write.value}`} (revision ${write.revision}, acknowledged at ${write.completeS.toFixed(2)}s)`;

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? "" : "s"}`;

/** An acknowledged write, one per key it stored or deleted; revision undefined when the completion carried none. */
function acknowledgedWrites(op: Operation): Array<Omit<PointWrite, "revision"> & { revision: number | undefined }> {
  return writesOf(op)
    .filter((write) => write.acknowledged)
    .map((write) => ({
      key: write.key,
      value: write.effect.kind === "put" ? write.effect.value : null,
      revision: op.complete!.revision,
      completeS: secondsOf(op.complete!.time),
      process: op.process,
      invokeIndex: op.invoke.index,
    }));
}

/** Per key, every value a client asked to store, whatever came of it (a failed write too); null for a delete. */
function valuesInvoked(ops: Operation[]): Map<string, Set<string | null>> {
  const values = new Map<string, Set<string | null>>();
  for (const op of ops) {
    for (const write of writesOf({ ...op, type: "info" })) {
      values.set(write.key, (values.get(write.key) ?? new Set()).add(write.effect.kind === "put" ? write.effect.value : null));
    }
  }
  return values;
}
