// Reads a results.json written before the record had a format number (format 1) into today's shape.
//
// Format 1 differs in four places, each filled from what format 1 did record: a fault's position in the
// schedule (faults were played in schedule order), its effect as judged while the run went on (a
// measured sign), the checkers to re-run (those that ran, the availability thresholds from that
// checker's own evidence), and each result's anomalies (none listed: the summary says what was wrong).
import type { EffectSign } from "./fault.ts";
import { emptyStats } from "./results.ts";

type Loose = Record<string, unknown>;

export function upgradeFormat1(data: Loose): Loose {
  const schedule = Array.isArray(data["schedule"]) ? (data["schedule"] as Loose[]) : [];
  const order = schedule.map((step, index) => ({ step, index })).sort((a, b) => Number(a.step["atMs"]) - Number(b.step["atMs"]) || a.index - b.index);
  const faults = (Array.isArray(data["faults"]) ? (data["faults"] as Loose[]) : []).map((fault, index) => {
    const signs: EffectSign[] =
      typeof fault["tookEffect"] === "boolean" ? [{ kind: "measured", held: fault["tookEffect"], what: String(fault["evidence"] ?? "judged while the run went on") }] : [];
    return { ...fault, step: order[index]?.index ?? index, signs };
  });
  const results = (data["checkers"] ?? {}) as Record<string, Loose>;
  const checkers = Object.fromEntries(
    Object.entries(results).map(([name, result]) => [
      name,
      { ...result, anomalies: result["verdict"] === "invalid" ? [{ kind: name, explanation: String(result["summary"] ?? ""), ops: [], members: [] }] : [] },
    ]),
  );
  const plan = {
    workload: (data["settings"] as Loose | undefined)?.["workload"] ?? "register",
    checkers: Object.keys(results).map((name) =>
      name === "availability" && results[name]?.["expectations"] !== undefined ? { name, options: results[name]["expectations"] } : { name },
    ),
  };
  return { stats: emptyStats(), probes: {}, members: [], ...data, format: 2, faults, checkers, plan };
}
