// After every fault is healed, all members hold the same data: same revision, same HashKV.
import type { Anomaly } from "../record/check-result.ts";
import type { ConvergenceProbe } from "../record/probes.ts";
import type { Checker } from "./checker.ts";

export const convergenceChecker: Checker = {
  name: "convergence",
  check(run) {
    const probe = run.probes.convergence;
    if (!probe) return { verdict: "unknown", summary: "no convergence probe was recorded", anomalies: [] };
    const revisions = Object.entries(probe.revisions);
    const unanswered = revisions.filter(([, revision]) => typeof revision !== "number");
    if (unanswered.length > 0 || revisions.length === 0) {
      const why = unanswered.map(([member, error]) => `${member}: ${error}`).join("; ") || probe.error;
      return { verdict: "unknown", summary: `could not probe every member after heal: ${why}`, anomalies: [], ...probe };
    }
    const distinctRevisions = new Set(revisions.map(([, revision]) => revision));
    if (distinctRevisions.size > 1 || !probe.hashes || probe.revision === undefined) {
      const seen = revisions.map(([member, revision]) => `${member}@${revision}`).join(", ");
      const summary = `members did not reach the same revision after heal: ${seen}${divergenceEvidence(probe)}`;
      return { verdict: "invalid", summary, anomalies: [diverged("revisions-apart", summary, lowest(revisions))], ...probe };
    }
    const hashes = Object.entries(probe.hashes);
    if (new Set(hashes.map(([, hash]) => hash)).size > 1) {
      const seen = hashes.map(([member, hash]) => `${member}=${hash}`).join(", ");
      const summary = `members disagree on HashKV at revision ${probe.revision}: ${seen}`;
      return { verdict: "invalid", summary, anomalies: [diverged("data-differs", summary, odd(hashes))], ...probe };
    }
    return {
      verdict: "valid",
      summary: `${hashes.length} members at revision ${probe.revision} with HashKV ${hashes[0]?.[1]}`,
      anomalies: [],
      ...probe,
    };
  },
};

const diverged = (kind: string, explanation: string, members: string[]): Anomaly => ({ kind, explanation, ops: [], members });

/** Members at the lowest revision reached (those behind, or that skipped writes). */
function lowest(revisions: Array<[string, number | string]>): string[] {
  const least = Math.min(...revisions.map(([, revision]) => Number(revision)));
  return revisions.filter(([, revision]) => revision === least).map(([member]) => member);
}

/** Members whose hash differs from the one most members hold. */
function odd(hashes: Array<[string, number | string]>): string[] {
  const counts = new Map<number | string, number>();
  for (const [, hash] of hashes) counts.set(hash, (counts.get(hash) ?? 0) + 1);
  const common = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  return hashes.filter(([, hash]) => hash !== common).map(([member]) => member);
}

/** Same applied raft entry yet different revisions means a member skipped (or repeated) writes; say so. */
function divergenceEvidence(probe: ConvergenceProbe): string {
  const applied = Object.values(probe.appliedIndexes ?? {});
  const sameLog = applied.length > 1 && new Set(applied).size === 1;
  const log = sameLog ? `; every member had applied raft entry ${applied[0]}, so they applied the same log to different effect` : "";
  const hashes = Object.entries(probe.hashes ?? {});
  const disagree = probe.revision !== undefined && new Set(hashes.map(([, hash]) => hash)).size > 1;
  return disagree ? `${log}; HashKV at revision ${probe.revision}: ${hashes.map(([member, hash]) => `${member}=${hash}`).join(", ")}` : log;
}
