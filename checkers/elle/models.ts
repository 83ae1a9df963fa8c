// Consistency models and the anomalies each rules out (Adya's phenomena as Elle names them, plus the ones reads show directly).

import { consistencyModels, type ConsistencyModel } from "../../record/transactional.ts";

export { consistencyModels, type ConsistencyModel };

/** Anomalies no model allows: the history is not of a database that did what clients asked. */
const impossible = new Set(["garbage-read", "duplicate-append", "incompatible-order", "internal", "revision-mismatch"]);
const dirty = new Set(["G0", "G1a", "G1b", "G1c"]);

/** The models an anomaly rules out, strongest last. */
export function modelsRuledOut(anomaly: string): ConsistencyModel[] {
  if (impossible.has(anomaly) || dirty.has(anomaly)) return [...consistencyModels];
  if (anomaly === "G-single" || anomaly === "lost-update") return ["strict-serializable", "serializable", "snapshot-isolation"];
  if (anomaly === "G2-item") return ["strict-serializable", "serializable"];
  // A cycle that needs one client's order or real time: only a model that keeps those orders rules it out.
  if (anomaly.endsWith("-realtime") || anomaly.endsWith("-process")) return ["strict-serializable"];
  return [...consistencyModels];
}

/** Whether a model needs the process and real-time orders searched. */
export function needsRealTime(model: ConsistencyModel): boolean {
  return model === "strict-serializable";
}
