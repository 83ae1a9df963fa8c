// One line of history.jsonl: a client operation's invocation or completion, or a nemesis event.
export type EntryType = "invoke" | "ok" | "fail" | "info";

/** `process` is a client process id, or "nemesis" for fault events. */
export type ProcessId = number | "nemesis";

export interface HistoryEntry {
  /** Position in the history, from 0, in the order entries were recorded. */
  index: number;
  /** Nanoseconds since the run's base time, on the clock shared by clients and nemesis. */
  time: number;
  process: ProcessId;
  type: EntryType;
  /** Operation or fault name: read, write, cas, txn, partition, ... */
  f: string;
  key?: string;
  value?: unknown;
  /** Member the operation was sent to (n1, n2, ...). */
  node?: string;
  error?: string;
  /** etcd header revision of the response, when the member returned one. */
  revision?: number;
}
