// Fault windows for the page: from results.json's fault records, or from the history's nemesis lines when a run stopped early.
import type { HistoryEntry } from "../../record/history/entry.ts";
import type { RunResults } from "../../record/results.ts";
import { toUs } from "./operation-table.ts";

/** Times in µs on the run clock: injection began, was complete, healing began, healing ended. */
export interface FaultBand {
  fault: string;
  targets: string[];
  start: number;
  effective: number;
  healStart: number;
  end: number;
  tookEffect: boolean | null;
  evidence: string | null;
}

export function faultBands(results: Pick<RunResults, "faults">, history: readonly HistoryEntry[], lastUs: number): FaultBand[] {
  if (results.faults.length > 0) {
    return results.faults.map((fault) => ({
      fault: fault.fault,
      targets: [...fault.targets],
      start: toUs(fault.start),
      effective: toUs(fault.effective),
      healStart: toUs(fault.healStart),
      end: toUs(fault.end),
      tookEffect: fault.tookEffect ?? null,
      evidence: fault.evidence ?? null,
    }));
  }
  return bandsFromHistory(history, lastUs);
}

/**
 * start-X invoke, start-X info, stop-X invoke, stop-X info, in that order per fault; a fault still
 * in place when the history ends lasts until its last entry.
 */
export function bandsFromHistory(history: readonly HistoryEntry[], lastUs: number): FaultBand[] {
  const bands: FaultBand[] = [];
  const open = new Map<string, FaultBand>();
  for (const entry of history) {
    if (entry.process !== "nemesis") continue;
    const match = /^(start|stop)-(.+)$/.exec(entry.f);
    if (!match) continue;
    const [, phase, fault] = match as unknown as [string, string, string];
    const time = toUs(entry.time);
    if (phase === "start" && entry.type === "invoke") {
      const band: FaultBand = {
        fault,
        targets: targetsOf(entry.value),
        start: time,
        effective: time,
        healStart: lastUs,
        end: lastUs,
        tookEffect: null,
        evidence: null,
      };
      open.set(fault, band);
      bands.push(band);
      continue;
    }
    const band = open.get(fault);
    if (!band) continue;
    if (phase === "start") band.effective = time;
    else if (entry.type === "invoke") band.healStart = time;
    else {
      band.end = time;
      open.delete(fault);
    }
  }
  return bands;
}

function targetsOf(value: unknown): string[] {
  const targets = (value as { targets?: unknown } | undefined)?.targets;
  return Array.isArray(targets) ? targets.map(String) : [];
}
