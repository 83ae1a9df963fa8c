// Whether a failed etcd call certainly had no effect (fail) or might still take effect (info).
//
// Jepsen's rule: anything not certainly failed is info. Reads change nothing, so a failed read is
// always a fail. A write is a fail only when etcd refused it before it could reach the raft log.

export type FailureType = "fail" | "info";

interface Rule {
  /** Matched against the error's message, case-insensitively. */
  pattern: RegExp;
  type: FailureType;
  why: string;
}

/** First match wins; anything unmatched is info. Exported for the table's tests. */
export const writeFailureRules: readonly Rule[] = [
  { pattern: /database space exceeded/, type: "fail", why: "NOSPACE alarm: etcd rejects writes before proposing them" },
  { pattern: /too many requests/, type: "fail", why: "rejected by etcd's proposal rate limit before proposing" },
  { pattern: /request is too large/, type: "fail", why: "rejected by size check before proposing" },
  { pattern: /requested lease not found|lease not found/, type: "fail", why: "lease checked before proposing" },
  { pattern: /permission denied|authentication failed|invalid auth token|user name is empty/, type: "fail", why: "auth checked before proposing" },
  { pattern: /invalid argument|duplicate key given in txn|too many operations in txn|key is not provided/, type: "fail", why: "request validation" },
  { pattern: /not capable/, type: "fail", why: "cluster version check before proposing" },
  { pattern: /unknown method|unimplemented/, type: "fail", why: "the member does not offer the call" },
  { pattern: /timed out|deadline exceeded/, type: "info", why: "the proposal may still commit after the deadline" },
  { pattern: /leader changed/, type: "info", why: "proposed under a leader that lost office; may still commit" },
  { pattern: /unavailable|connection|reset|closed|eof|socket|refused|no connection established/, type: "info", why: "lost the connection after sending" },
  { pattern: /cancel/, type: "info", why: "cancelled after sending" },
];

export interface Failure {
  type: FailureType;
  /** The error's message, for the history. */
  error: string;
}

export function classifyFailure(error: unknown, readOnly: boolean): Failure {
  const message = errorMessage(error);
  if (readOnly) return { type: "fail", error: message };
  const rule = writeFailureRules.find((candidate) => candidate.pattern.test(message.toLowerCase()));
  return { type: rule?.type ?? "info", error: message };
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message.replace(/\s+/g, " ").trim();
  return String(error);
}
