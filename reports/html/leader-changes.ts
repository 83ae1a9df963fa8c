// Leader changes from the sampled member status: when a member first reports a new leader, or none.
import type { StatusSample } from "../../record/status.ts";
import { toUs } from "./operation-table.ts";

export interface LeaderChange {
  /** µs on the run clock of the first sample that showed it. */
  time: number;
  /** The new leader, or null when `member` lost its leader. */
  leader: string | null;
  term: number | null;
  /** The member whose answer showed the change. */
  member: string;
}

/**
 * A leader (with its term) is marked once, when the first member reports it; a member that stops
 * knowing any leader is marked too (a cut-off member, or an election under way). Unanswered samples
 * say nothing about leadership and are skipped.
 */
export function leaderChanges(samples: readonly StatusSample[]): LeaderChange[] {
  const changes: LeaderChange[] = [];
  const seenTerms = new Set<string>();
  const knowsLeader = new Map<string, boolean>();
  const ordered = [...samples].sort((a, b) => a.time - b.time);
  for (const sample of ordered) {
    if (sample.error !== undefined || sample.leader === undefined) continue;
    if (sample.leader === null) {
      if (knowsLeader.get(sample.member) !== false) {
        changes.push({ time: toUs(sample.time), leader: null, term: sample.term ?? null, member: sample.member });
      }
      knowsLeader.set(sample.member, false);
      continue;
    }
    knowsLeader.set(sample.member, true);
    const id = `${sample.term ?? "?"}/${sample.leader}`;
    if (seenTerms.has(id)) continue;
    seenTerms.add(id);
    changes.push({ time: toUs(sample.time), leader: sample.leader, term: sample.term ?? null, member: sample.member });
  }
  return changes;
}
