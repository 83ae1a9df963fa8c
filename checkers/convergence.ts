// After every fault is healed, all members hold the same data: same revision, same HashKV.
import type { Checker, ConvergenceProbe } from "./checker.ts";

export const convergenceChecker: Checker = {
  name: "convergence",
  check(run) {
    const probe = run.convergence;
    if (!probe) return { verdict: "unknown", summary: "no convergence probe was recorded" };
    const revisions = Object.entries(probe.revisions);
    const unanswered = revisions.filter(([, revision]) => typeof revision !== "number");
    if (unanswered.length > 0 || revisions.length === 0) {
      const why = unanswered.map(([member, error]) => `${member}: ${error}`).join("; ") || probe.error;
      return { verdict: "unknown", summary: `could not probe every member after heal: ${why}`, ...probe };
    }
    const distinctRevisions = new Set(revisions.map(([, revision]) => revision));
    if (distinctRevisions.size > 1 || !probe.hashes || probe.revision === undefined) {
      const seen = revisions.map(([member, revision]) => `${member}@${revision}`).join(", ");
      return { verdict: "invalid", summary: `members did not reach the same revision after heal: ${seen}${divergenceEvidence(probe)}`, ...probe };
    }
    const hashes = Object.entries(probe.hashes);
    if (new Set(hashes.map(([, hash]) => hash)).size > 1) {
      const seen = hashes.map(([member, hash]) => `${member}=${hash}`).join(", ");
      return { verdict: "invalid", summary: `members disagree on HashKV at revision ${probe.revision}: ${seen}`, ...probe };
    }
    return {
      verdict: "valid",
      summary: `${hashes.length} members at revision ${probe.revision} with HashKV ${hashes[0]?.[1]}`,
      ...probe,
    };
  },
};

/** Same applied raft entry yet different revisions means a member skipped (or repeated) writes; say so. */
function divergenceEvidence(probe: ConvergenceProbe): string {
  const applied = Object.values(probe.appliedIndexes ?? {});
  const sameLog = applied.length > 1 && new Set(applied).size === 1;
  const log = sameLog ? `; every member had applied raft entry ${applied[0]}, so they applied the same log to different effect` : "";
  const hashes = Object.entries(probe.hashes ?? {});
  const disagree = probe.revision !== undefined && new Set(hashes.map(([, hash]) => hash)).size > 1;
  return disagree ? `${log}; HashKV at revision ${probe.revision}: ${hashes.map(([member, hash]) => `${member}=${hash}`).join(", ")}` : log;
}
