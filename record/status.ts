// Status samples: every member's own view (leader, term, raft index, revision, raft state) through a run, on the run clock (status.jsonl).
import fs from "node:fs";
import { z } from "zod";
import { RecordError, firstIssue } from "./record-error.ts";

export const raftRoles = ["leader", "follower", "candidate", "pre-candidate"] as const;
export type RaftRole = (typeof raftRoles)[number];

export const raftSampleSchema = z.object({
  /** Raft id (hex): tells a replaced member from the one it replaced under the same name. */
  id: z.string(),
  term: z.number(),
  role: z.enum(raftRoles),
  /** Leader known in `term`, by name (its raft id when it is not a current member); null when none. */
  lead: z.string().nullable(),
  leadId: z.string().nullable(),
  commit: z.number(),
});
export type RaftSample = z.infer<typeof raftSampleSchema>;

export const statusSampleSchema = z.object({
  /** Nanoseconds on the run clock when the answers of the round had all arrived. */
  time: z.number(),
  /** When the round's requests were sent: the member's state was read between `requested` and `time`. */
  requested: z.number().optional(),
  member: z.string(),
  /** Leader the member knows of, by name; null when it knows none. */
  leader: z.string().nullable().optional(),
  /** etcd's Status term: the term of the last entry the member applied, which lags raft's term after an election. */
  term: z.number().optional(),
  /** etcd's Status raft index: the last committed index the member handed to its apply loop. */
  raftIndex: z.number().optional(),
  appliedIndex: z.number().optional(),
  revision: z.number().optional(),
  /** Set when the member did not answer. */
  error: z.string().optional(),
  /** Raft's own state, when /debug/vars answered. */
  raft: raftSampleSchema.optional(),
  raftError: z.string().optional(),
});
export type StatusSample = z.infer<typeof statusSampleSchema>;

/** status.jsonl's samples; a missing file is no samples, and a last line cut short by a killed run is left out. */
export function readStatusFile(file: string): StatusSample[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const lines = text.split("\n");
  const samples: StatusSample[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    const last = index === lines.length - 1;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      // The sampler ends every line with a newline: only a last line without one can be cut short.
      if (last) return;
      throw new RecordError(file, `line ${index + 1}: not JSON (${(error as Error).message})`);
    }
    const parsed = statusSampleSchema.safeParse(raw);
    if (!parsed.success) throw new RecordError(file, `line ${index + 1}: ${firstIssue(parsed.error)}`);
    samples.push(parsed.data);
  });
  return samples;
}
