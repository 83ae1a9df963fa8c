// Whether a failed etcd call certainly had no effect (fail) or might still take effect (info).
//
// Jepsen's rule: anything not certainly failed is info. A call is a fail only when etcd refused it
// before it could reach the raft log; a timeout or a lost connection is info for reads too (a read
// whose result is unknown constrains nothing, and its process is replaced like any other).

export type FailureType = "fail" | "info";

interface Rule {
  /** Matched against the error's message, case-insensitively. */
  pattern: RegExp;
  type: FailureType;
  why: string;
}

/** First match wins; anything unmatched is info. Exported for the table's tests. */
export const failureRules: readonly Rule[] = [
  { pattern: /compare failed/, type: "fail", why: "the txn's compare did not hold, so nothing was written" },
  { pattern: /key not found|revision of the key is missing/, type: "fail", why: "the key is missing; checked before proposing" },
  { pattern: /too many requests/, type: "fail", why: "rejected by etcd's proposal rate limit before proposing" },
  { pattern: /request is too large/, type: "fail", why: "rejected by size check before proposing" },
  { pattern: /requested lease not found|lease not found/, type: "fail", why: "lease checked before proposing" },
  { pattern: /permission denied|authentication failed|invalid auth token|user name is empty/, type: "fail", why: "auth checked before proposing" },
  { pattern: /invalid argument|duplicate key given in txn|too many operations in txn|key is not provided/, type: "fail", why: "request validation" },
  { pattern: /not capable/, type: "fail", why: "cluster version check before proposing" },
  { pattern: /unknown method|unimplemented/, type: "fail", why: "the member does not offer the call" },
  {
    pattern: /no connection established/,
    type: "fail",
    why: "gRPC had no connection to send the call on (a fail-fast call is refused before it is sent)",
  },
  {
    pattern: /database space exceeded/,
    type: "info",
    why: "NOSPACE: refused before proposing when the member's API check sees the quota exceeded, but also answered by the quota applier after applying a write that crossed it (etcd server/etcdserver/apply, quotaApplierV3): it may have happened",
  },
  { pattern: /timed out|deadline exceeded/, type: "info", why: "the proposal may still commit after the deadline" },
  { pattern: /leader changed/, type: "info", why: "proposed under a leader that lost office; may still commit" },
  { pattern: /unavailable|connection|reset|closed|eof|socket|refused/, type: "info", why: "lost the connection after sending" },
  { pattern: /cancel/, type: "info", why: "cancelled after sending" },
];

export interface Failure {
  type: FailureType;
  /** The error's message, for the history. */
  error: string;
}

export function classifyFailure(error: unknown): Failure {
  const message = errorMessage(error);
  const rule = failureRules.find((candidate) => candidate.pattern.test(message.toLowerCase()));
  return { type: rule?.type ?? "info", error: message };
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message.replace(/\s+/g, " ").trim();
  return String(error);
}
