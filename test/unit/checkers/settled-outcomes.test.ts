// Which NOSPACE answers the run's evidence proves unapplied: after the alarm was listed, before the runbook disarmed it.
import { describe, expect, it } from "vitest";
import { nospaceWindows, provenRefusals, settleOutcomes } from "../../../checkers/settled-outcomes.ts";
import type { FaultRecord } from "../../../record/fault.ts";
import type { HistoryEntry } from "../../../record/history/entry.ts";
import { quotaDisarmMark } from "../../../record/values/quota.ts";
import { recordedRun, s } from "./fixtures.ts";

const nospace = "8 RESOURCE_EXHAUSTED: etcdserver: mvcc: database space exceeded";

function quotaFault(tookEffect = true): FaultRecord {
  return { fault: "quota", selector: "n1", targets: ["n1"], params: {}, start: s(1), effective: s(2), healStart: s(6), end: s(8), details: {}, step: 0, signs: [{ kind: "measured", held: tookEffect, what: "NOSPACE listed" }] };
}

/** Puts by processes 1-5, each [invokeS, completeS, outcome, error]; with the runbook's disarm mark at 7 s unless left out. */
function history(disarmMark = true): HistoryEntry[] {
  const puts: Array<[number, number, "ok" | "info" | "fail", string | undefined]> = [
    [1.5, 2.1, "info", nospace], // sent before the alarm was listed: may have been applied
    [3.0, 3.1, "info", nospace], // inside: refused unapplied
    [6.5, 6.8, "info", nospace], // during the runbook, answered before the disarm
    [6.9, 7.2, "info", nospace], // answered after the disarm was sent
    [3.0, 3.5, "info", "4 DEADLINE_EXCEEDED: context deadline exceeded"], // uncertain for another reason
  ];
  const rows: Array<Omit<HistoryEntry, "index">> = puts.flatMap(([invoke, complete, type, error], index) => [
    { time: s(invoke), process: index + 1, type: "invoke" as const, f: "put", key: "k", node: "n1", value: `v${index + 1}` },
    { time: s(complete), process: index + 1, type, f: "put", key: "k", node: "n1", value: `v${index + 1}`, ...(error ? { error } : {}) },
  ]);
  if (disarmMark) rows.push({ time: s(7.0), process: "nemesis", type: "info", f: quotaDisarmMark, value: { alarms: ["NOSPACE of n1"] } });
  return rows.sort((a, b) => a.time - b.time).map((row, index) => ({ ...row, index }));
}

const refusedProcesses = (entries: HistoryEntry[], faults: FaultRecord[]): number[] => {
  const refused = provenRefusals({ history: entries, faults, statuses: [] });
  return entries.filter((entry) => entry.type === "invoke" && refused.has(entry.index)).map((entry) => entry.process as number);
};

describe("NOSPACE answers proven unapplied", () => {
  it("are those sent after the alarm was listed and answered before the runbook disarmed it", () => {
    expect(nospaceWindows({ history: history(), faults: [quotaFault()], statuses: [] })).toEqual([{ from: s(2), to: s(7) }]);
    expect(refusedProcesses(history(), [quotaFault()])).toEqual([2, 3]);
  });

  it("end at the heal's start when the run has no disarm mark", () => {
    expect(refusedProcesses(history(false), [quotaFault()])).toEqual([2]);
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
      [2, "fail", nospace],
      [3, "fail", nospace],
    ]);
    expect(settleOutcomes(settled).history).toEqual(settled.history);
  });
});
