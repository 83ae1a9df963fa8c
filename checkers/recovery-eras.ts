// A run with a disaster recovery as two eras, the cluster destroyed and the cluster recovered, and a wrapper that lets any checker judge each era on its own.
import { combineVerdicts, type Anomaly, type CheckResult } from "../record/check-result.ts";
import type { FaultRecord } from "../record/fault.ts";
import type { HistoryEntry } from "../record/history/entry.ts";
import type { Recovery } from "../record/recovery.ts";
import type { RecordedRun } from "../record/run.ts";
import type { Checker } from "./checker.ts";
import { recoveriesOf } from "./recoveries.ts";

/** Process ids of the writes that stand for the restored state at the start of the after era, the first key's first. */
export const restoredStateProcessBase = 1_000_000_000;

export interface EraViews {
  recovery: Recovery;
  /** The run up to the disaster: operations still open when it struck stay open (uncertain). */
  before: RecordedRun;
  /** The run from the clients pointed at the recovered cluster, which starts holding the restored state; absent when the recovery did not get that far. */
  after?: RecordedRun;
}

/** An era's run, and for each entry of its history the index of the run's entry it is (undefined for the restored state's writes). */
interface Era {
  run: RecordedRun;
  origins: Array<number | undefined>;
}

/** The run's eras around its first recovery, or undefined when it has none. */
export function eraViews(run: RecordedRun): EraViews | undefined {
  const split = splitEras(run);
  return split && { recovery: split.recovery, before: split.before.run, ...(split.after ? { after: split.after.run } : {}) };
}

/**
 * The checker judging each era on its own, when the run has a recovery: its verdicts combined, the
 * anomalies of both (indexes into the run's history), and both results under `eras`, whose own
 * indexes are the era's. A later recovery splits the after era again.
 */
export function perEra(checker: Checker): Checker {
  const wrapped: Checker = {
    name: checker.name,
    check(run): CheckResult {
      const split = splitEras(run);
      if (!split) return checker.check(run);
      const before = judge(checker, split.before);
      if (!split.after) {
        return {
          verdict: before.result.verdict,
          summary: `before the disaster: ${before.result.summary}; after the recovery: not judged, the clients were never pointed at a recovered cluster`,
          anomalies: before.anomalies,
          eras: { before: before.result },
        };
      }
      const after = judge(wrapped, split.after);
      return {
        verdict: combineVerdicts([before.result.verdict, after.result.verdict]),
        summary: `before the disaster: ${before.result.summary}; after the recovery: ${after.result.summary}`,
        anomalies: [...before.anomalies, ...after.anomalies],
        eras: { before: before.result, after: after.result },
      };
    },
  };
  return wrapped;
}

/** One era's result (an exception is unknown, as in runCheckers), and its anomalies pointing into the run's history. */
function judge(checker: Checker, era: Era): { result: CheckResult; anomalies: Anomaly[] } {
  let result: CheckResult;
  try {
    result = checker.check(era.run);
  } catch (error) {
    result = { verdict: "unknown", summary: `checker failed: ${error instanceof Error ? error.message : String(error)}`, anomalies: [] };
  }
  const toRun = (ops: number[]): number[] => ops.flatMap((index) => (era.origins[index] === undefined ? [] : [era.origins[index]]));
  const anomalies = result.anomalies.map((anomaly) => ({
    ...anomaly,
    ops: toRun(anomaly.ops),
    ...(anomaly.context ? { context: anomaly.context.map((group) => ({ ...group, ops: toRun(group.ops) })) } : {}),
  }));
  return { result, anomalies };
}

function splitEras(run: RecordedRun): { recovery: Recovery; before: Era; after?: Era } | undefined {
  const first = recoveriesOf(run)[0];
  if (!first) return undefined;
  const { fault, recovery } = first;
  return {
    recovery,
    before: beforeEra(run, fault, recovery),
    ...(recovery.recoveredAt !== undefined ? { after: afterEra(run, recovery, recovery.recoveredAt) } : {}),
  };
}

// The recovery's own fault belongs to neither era: it is the boundary, judged whole by recovery-point, recovery-time and faults-took-effect.
function beforeEra(run: RecordedRun, recoveryFault: FaultRecord, recovery: Recovery): Era {
  const { disasterAt } = recovery;
  // A completion after the disaster is left out, so its operation stays open.
  const kept = run.history.filter((entry) => entry.time < disasterAt);
  const statuses = run.statuses.filter((sample) => sample.time < disasterAt);
  const members = [...new Set([...statuses.map((sample) => sample.member), ...recovery.destroyed, recovery.recoveryPoint.member])];
  const finalReads = run.probes.finalReads;
  return {
    run: {
      ...run,
      history: kept.map((entry, index) => ({ ...entry, index })),
      statuses,
      faults: run.faults.filter((fault) => fault !== recoveryFault && fault.start < disasterAt),
      // The final reads and the convergence probe were made of the recovered cluster.
      probes: finalReads ? { finalReads: { ...finalReads, skipped: "the final reads were made of the recovered cluster; recovery-point judges what the recovery kept of this one" } } : {},
      members: members.sort((a, b) => a.localeCompare(b, "en", { numeric: true })),
    },
    origins: kept.map((entry) => entry.index),
  };
}

function afterEra(run: RecordedRun, recovery: Recovery, recoveredAt: number): Era {
  const entries: HistoryEntry[] = [];
  const origins: Array<number | undefined> = [];
  const restored = Object.entries(recovery.restoredState ?? {})
    .flatMap(([key, kept]) => (kept ? [{ key, ...kept }] : []))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  // One write per restored key, one after another, all complete just before the clients reach the cluster.
  restored.forEach(({ key, value, modRevision }, position) => {
    const time = recoveredAt - 2 * (restored.length - position);
    const write = { process: restoredStateProcessBase + position, f: "write", key, value: /^-?\d+$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : value };
    entries.push({ index: 0, time, type: "invoke", ...write }, { index: 0, time: time + 1, type: "ok", ...write, revision: modRevision });
    origins.push(undefined, undefined);
  });
  // Operations invoked before the clients were pointed at the recovered cluster went to the destroyed one: left out whole.
  const invokedAfter = new Map<number, boolean>();
  for (const entry of run.history) {
    let take: boolean;
    if (entry.process === "nemesis") take = entry.time >= recoveredAt;
    else if (entry.type === "invoke") {
      take = entry.time >= recoveredAt;
      invokedAfter.set(entry.process, take);
    } else {
      take = invokedAfter.get(entry.process) === true;
      invokedAfter.delete(entry.process);
    }
    if (!take) continue;
    entries.push(entry);
    origins.push(entry.index);
  }
  return {
    run: {
      ...run,
      history: entries.map((entry, index) => ({ ...entry, index })),
      statuses: run.statuses.filter((sample) => sample.time >= recoveredAt),
      faults: run.faults.filter((fault) => fault.start >= recoveredAt),
    },
    origins,
  };
}
