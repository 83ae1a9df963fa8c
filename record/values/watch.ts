// The watch workload's encoding of history values: a session's start and, when it ends, every event and response it received.
import { z } from "zod";

export const watchEventSchema = z.object({
  type: z.enum(["put", "delete"]),
  key: z.string(),
  value: z.string().optional(),
  modRevision: z.number(),
  createRevision: z.number().optional(),
  version: z.number().optional(),
});
export type WatchEvent = z.infer<typeof watchEventSchema>;

/** One watch response as received: its header revision and how many events (of the session's, in order) it carried. */
export const watchResponseRecordSchema = z.object({ revision: z.number(), eventCount: z.number().int().nonnegative() });
export type WatchResponseRecord = z.infer<typeof watchResponseRecordSchema>;

/** A session's invocation value. */
export const watchSessionStartSchema = z.object({
  fromRevision: z.number(),
  /** The watcher's number; sessions of one watcher chain, across process ids. */
  watcher: z.number().int().optional(),
});
export type WatchSessionStart = z.infer<typeof watchSessionStartSchema>;

/** A session's completion value (ok; a fail carries only fromRevision and compactRevision). */
export const watchSessionRecordSchema = z.object({
  fromRevision: z.number(),
  nextRevision: z.number().optional(),
  headerRevision: z.number().optional(),
  events: z.array(watchEventSchema).optional(),
  responses: z.array(watchResponseRecordSchema).optional(),
  interrupted: z.string().optional(),
  compactRevision: z.number().optional(),
});
export type WatchSessionRecord = z.infer<typeof watchSessionRecordSchema>;
