// What an analysis finds: an anomaly's class, the transactions it names, and its explanation in words.
import type { Edge } from "./graph.ts";
import type { Transaction } from "./transaction.ts";

export interface Finding {
  /** G0, G1a, G-single-realtime, lost-update, incompatible-order, ... */
  name: string;
  /** Ids of the transactions at fault, the one to look at first. */
  txns: number[];
  explanation: string;
  /** For a cycle: each step, "T1 < T2" and why. */
  steps?: { from: number; to: number; kind: string; why: string }[];
}

/** A transaction by its invocation's place in the history, the name reports and explanations use. */
export function txnName(transaction: Transaction): string {
  return `T${transaction.invokeIndex}`;
}

/** What one workload's analysis gives the check: its own findings, and the reason for each dependency edge. */
export interface Analysis {
  findings: Finding[];
  /** "T2 read T1's append of 5 to key 3": why `edge.from` precedes `edge.to`, for the edges a cycle uses. */
  explain(edge: Edge): string;
}
