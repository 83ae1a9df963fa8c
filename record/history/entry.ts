// One line of history.jsonl: a client operation's invocation or completion, or a nemesis event.
import { z } from "zod";

export const entryTypes = ["invoke", "ok", "fail", "info"] as const;

export const historyEntrySchema = z.object({
  /** Position in the history, from 0, in the order entries were recorded (the line order when absent). */
  index: z.number().int().nonnegative(),
  /** Nanoseconds since the run's base time, on the clock shared by clients and nemesis. */
  time: z.number().finite(),
  /** A client process id, or "nemesis" for fault events. */
  process: z.union([z.number().int(), z.literal("nemesis")]),
  type: z.enum(entryTypes),
  /** Operation or fault name: read, write, cas, txn, partition, ... */
  f: z.string().min(1),
  key: z.string().optional(),
  value: z.unknown().optional(),
  /** Member the operation was sent to (n1, n2, ...). */
  node: z.string().optional(),
  error: z.string().optional(),
  /** etcd header revision of the response, when the member returned one. */
  revision: z.number().optional(),
});

export type HistoryEntry = z.infer<typeof historyEntrySchema>;
export type EntryType = HistoryEntry["type"];
export type ProcessId = HistoryEntry["process"];
