// Hand-made recorded runs for checker tests: a 3-member cluster, one partition of n1 from 2s to 8s.
import type { ConvergenceProbe, FinalReadsProbe } from "../../../record/probes.ts";
import type { RecordedRun } from "../../../record/run.ts";
import type { ReadMode } from "../../../record/settings.ts";
import { baseSettings } from "../../../scenarios/scenario.ts";
import type { HistoryEntry } from "../../../record/history/entry.ts";
import type { FaultRecord } from "../../../record/fault.ts";
import type { Recovery } from "../../../record/recovery.ts";

export const s = (seconds: number): number => Math.round(seconds * 1e9);

export function partitionOfN1(): FaultRecord {
  return {
    fault: "partition",
    selector: "follower",
    targets: ["n1"],
    params: {},
    start: s(2),
    effective: s(2),
    healStart: s(8),
    end: s(8),
    details: { groups: [["n1"], ["n2", "n3"]] },
    step: 0,
    signs: [{ kind: "leader-lost", members: ["n1"], majority: ["n2", "n3"], required: "every" }],
  };
}

/** Builds a history from [process, f, node, invokeS, completeS, type, value?] rows. */
export function history(rows: Array<[number, string, string, number, number, "ok" | "fail" | "info", unknown?]>): HistoryEntry[] {
  const entries = rows.flatMap(([process, f, node, invokeS, completeS, type, value]) => [
    { index: 0, time: s(invokeS), process, type: "invoke" as const, f, key: "r0", node, ...(f === "write" ? { value } : {}) },
    { index: 0, time: s(completeS), process, type, f, key: "r0", node, ...(value !== undefined ? { value } : {}) },
  ]);
  return entries.sort((a, b) => a.time - b.time).map((entry, index) => ({ ...entry, index }));
}

/** A recorded run, with the probes and read mode given directly for brevity. */
export interface RunFixture extends Partial<RecordedRun> {
  readMode?: ReadMode;
  convergence?: ConvergenceProbe;
  finalReads?: FinalReadsProbe;
}

export function recordedRun(fixture: RunFixture): RecordedRun {
  const { readMode = "linearizable", convergence, finalReads, ...overrides } = fixture;
  return {
    history: [],
    statuses: [],
    faults: [partitionOfN1()],
    members: ["n1", "n2", "n3"],
    probes: { ...(convergence ? { convergence } : {}), ...(finalReads ? { finalReads } : {}) },
    settings: { ...baseSettings, readMode },
    ...overrides,
  };
}

/** One operation for `historyOf`: times in seconds; no `complete` for one never answered. */
export interface OpRow {
  process: number;
  f: string;
  key?: string;
  node?: string;
  invoke: number;
  complete?: number;
  type: "ok" | "fail" | "info";
  /** The invocation's value (repeated on the completion unless `result` is given). */
  value?: unknown;
  result?: unknown;
  /** The header revision the completion recorded. */
  revision?: number;
}

/** A history from whole operations, entries ordered by time. */
export function historyOf(rows: OpRow[]): HistoryEntry[] {
  const entries = rows.flatMap((row) => {
    const base = { process: row.process, f: row.f, ...(row.key !== undefined ? { key: row.key } : {}), ...(row.node !== undefined ? { node: row.node } : {}) };
    const invoke = { index: 0, time: s(row.invoke), type: "invoke" as const, ...base, ...(row.value !== undefined ? { value: row.value } : {}) };
    if (row.complete === undefined) return [invoke];
    const value = row.result !== undefined ? row.result : row.value;
    return [invoke, { index: 0, time: s(row.complete), type: row.type, ...base, ...(value !== undefined ? { value } : {}), ...(row.revision !== undefined ? { revision: row.revision } : {}) }];
  });
  return entries.sort((a, b) => a.time - b.time).map((entry, index) => ({ ...entry, index }));
}

/**
 * A disaster recovery's fault record: n1..n3 destroyed at 4 s, n4..n6 restored from n1's snapshot of
 * revision 4 (saved at 2 s), the clients pointed at them at 6 s; `overrides` change any of it.
 */
export function recoveryFault(overrides: Partial<Recovery> = {}): FaultRecord {
  const recovery: Recovery = {
    runbook: "snapshot-restore",
    disasterAt: s(4),
    recoveredAt: s(6),
    steps: [
      { name: "destroy n1,n2,n3", command: "docker rm -f -v etcd-n1 etcd-n2 etcd-n3", startedAt: s(4), endedAt: s(4.3), ok: true },
      { name: "snapshot restore n4", command: "etcdutl snapshot restore /backup/snap.db --name n4 --data-dir /var/lib/etcd", startedAt: s(4.3), endedAt: s(5.5), ok: true },
      { name: "start n4,n5,n6", command: "etcd --name n4 --data-dir /var/lib/etcd", startedAt: s(5.5), endedAt: s(6), ok: true },
    ],
    recoveryPoint: { kind: "snapshot", member: "n1", savedAt: s(2), revision: 4 },
    destroyed: ["n1", "n2", "n3"],
    members: ["n4", "n5", "n6"],
    restoredRevision: 4,
    restoredState: {},
    ...overrides,
  };
  return {
    step: 0,
    fault: `disaster-${recovery.runbook}`,
    selector: "all",
    targets: ["n1", "n2", "n3"],
    params: {},
    start: recovery.disasterAt,
    effective: recovery.disasterAt,
    healStart: recovery.recoveredAt ?? s(10),
    end: recovery.recoveredAt ?? s(10),
    details: { recovery },
    signs: [],
  };
}
