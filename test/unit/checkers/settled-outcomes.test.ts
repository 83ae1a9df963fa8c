// Which NOSPACE answers the run's evidence proves unapplied: sent after the alarm was listed, answered before the runbook disarmed it.
import { describe, expect, it } from "vitest";
import { nospaceWindows, provenRefusals, settleOutcomes } from "../../../checkers/settled-outcomes.ts";
import type { FaultRecord } from "../../../record/fault.ts";
import type { HistoryEntry } from "../../../record/history/entry.ts";
import { quotaAlarmListedMark, quotaDisarmMark } from "../../../record/values/quota.ts";
import { recordedRun, s } from "./fixtures.ts";

const nospace = "8 RESOURCE_EXHAUSTED: etcdserver: mvcc: database space exceeded";

function quotaFault(tookEffect = true): FaultRecord {
  return { fault: "quota", selector: "n1", targets: ["n1"], params: {}, start: s(1), effective: s(2), healStart: s(6), end: s(8), details: {}, step: 0, signs: [{ kind: "measured", held: tookEffect, what: "NOSPACE listed" }] };
}

/**
 * Puts by processes 1-6, each [invokeS, completeS, outcome, error]; the fault's marks: a member listed the
 * alarm at 1.6 s (every member by the effective time, 2 s), the runbook disarmed at 7 s.
 */
function history(marks = { listed: true, disarm: true }): HistoryEntry[] {
  const puts: Array<[number, number, "ok" | "info" | "fail", string | undefined]> = [
    [1.5, 2.1, "info", nospace], // sent before the alarm was listed: may have been applied
    [3.0, 3.1, "info", nospace], // inside: refused unapplied
    [6.5, 6.8, "info", nospace], // during the runbook, answered before the disarm
    [6.9, 7.2, "info", nospace], // answered after the disarm was sent
    [3.0, 3.5, "info", "4 DEADLINE_EXCEEDED: context deadline exceeded"], // uncertain for another reason
    [1.7, 1.9, "info", nospace], // sent after one member listed the alarm, before every member had
  ];
  const rows: Array<Omit<HistoryEntry, "index">> = puts.flatMap(([invoke, complete, type, error], index) => [
    { time: s(invoke), process: index + 1, type: "invoke" as const, f: "put", key: "k", node: "n1", value: `v${index + 1}` },
    { time: s(complete), process: index + 1, type, f: "put", key: "k", node: "n1", value: `v${index + 1}`, ...(error ? { error } : {}) },
  ]);
  if (marks.listed) rows.push({ time: s(1.6), process: "nemesis", type: "info", f: quotaAlarmListedMark, value: { member: "n2" } });
  if (marks.disarm) rows.push({ time: s(7.0), process: "nemesis", type: "info", f: quotaDisarmMark, value: { alarms: ["NOSPACE of n1"] } });
  return rows.sort((a, b) => a.time - b.time).map((row, index) => ({ ...row, index }));
}

const refusedProcesses = (entries: HistoryEntry[], faults: FaultRecord[]): number[] => {
  const refused = provenRefusals({ history: entries, faults, statuses: [] });
  return entries.filter((entry) => entry.type === "invoke" && refused.has(entry.index)).map((entry) => entry.process as number);
};

describe("NOSPACE answers proven unapplied", () => {
  it("are those sent after a member listed the alarm and answered before the runbook disarmed it", () => {
    expect(nospaceWindows({ history: history(), faults: [quotaFault()], statuses: [] })).toEqual([{ from: s(1.6), to: s(7) }]);
    expect(refusedProcesses(history(), [quotaFault()]).sort()).toEqual([2, 3, 6]);
  });

  it("fall back on the fault's effective time and heal start in a run without the marks", () => {
    expect(refusedProcesses(history({ listed: false, disarm: false }), [quotaFault()])).toEqual([2]);
  });

  it("are none when the quota fault did not take effect, or there is none", () => {
    expect(refusedProcesses(history(), [quotaFault(false)])).toEqual([]);
    expect(refusedProcesses(history(), [])).toEqual([]);
  });

  it("become fail in the run the checkers see, and nothing else changes", () => {
    const run = recordedRun({ history: history(), faults: [quotaFault()] });
    const settled = settleOutcomes(run);
    const changed = settled.history.filter((entry, index) => entry !== run.history[index]);
    expect(changed.map((entry) => [entry.process, entry.type, entry.error])).toEqual([
      [6, "fail", nospace],
      [2, "fail", nospace],
      [3, "fail", nospace],
    ]);
    expect(settleOutcomes(settled).history).toEqual(settled.history);
  });
});
