// Split brain: at most one leader per raft term, and no write or linearizable read acknowledged by a member while it was cut off (docs/guarantees.md).
import type { Anomaly, CheckResult } from "../record/check-result.ts";
import type { FaultRecord } from "../record/fault.ts";
import type { HistoryEntry } from "../record/history/entry.ts";
import type { RecordedRun } from "../record/run.ts";
import type { StatusSample } from "../record/status.ts";
import { span, type Checker } from "./checker.ts";
import { isReadOnly } from "./op-kinds.ts";
import { pairOperations, type Operation } from "./operations.ts";
import { seconds } from "./partition-windows.ts";

const maxListed = 20;

/** Faults after which a member may answer from a fresh process or a fresh data directory. */
const restartingFaults = new Set(["kill", "restart", "rolling-restart", "member-replace", "member-remove", "member-add", "member-learner", "membership-resize"]);

export interface TermConflict {
  term: number;
  leaders: Array<{ leader: string; id: string; reportedBy: Array<{ member: string; fromS: number; toS: number; revisions: number[] }> }>;
}

export interface CommitPoint {
  member: string;
  atS: number;
  commitIndex: number;
  leader: string | null | undefined;
  raftTerm?: number;
  role?: string;
  revision?: number;
}

export interface CutOffOperation {
  /** History index of the operation's invocation. */
  invokeIndex: number;
  process: number;
  f: string;
  key?: string;
  value: unknown;
  node: string;
  type: string;
  invokeS: number;
  completeS: number;
  /** The highest index any member reported committed before the operation was invoked. */
  committedBefore: CommitPoint;
  /** The member's own commit index in its first answer after the operation completed. */
  memberAfter: CommitPoint;
}

export const splitBrainChecker: Checker = {
  name: "split-brain",
  check(run): CheckResult {
    const leaders = leadersPerTerm(run.statuses);
    const cutOff = cutOffOperations(run);
    const evidence = {
      raftSamples: leaders.samples,
      terms: leaders.terms,
      termConflicts: leaders.conflicts,
      cutOff: {
        judged: cutOff.judged,
        refused: cutOff.refused,
        notJudged: cutOff.notJudged,
        untimed: cutOff.untimed,
        unattributed: cutOff.unattributed,
        acknowledged: cutOff.acknowledged.slice(0, maxListed),
        localReadCount: cutOff.localReads.length,
        localReads: cutOff.localReads.slice(0, maxListed),
      },
    };
    const problems = [
      ...leaders.conflicts.map(describeConflict),
      ...cutOff.acknowledged.slice(0, 3).map(describeCutOff),
    ];
    if (problems.length > 0) {
      const more = cutOff.acknowledged.length > 3 ? ` (and ${cutOff.acknowledged.length - 3} more acknowledged while cut off)` : "";
      const anomalies: Anomaly[] = [...leaders.conflicts.map(conflictAnomaly), ...cutOff.acknowledged.map(cutOffAnomaly)];
      return { verdict: "invalid", summary: `${problems.join("; ")}${more}`, anomalies, ...evidence };
    }
    const local = cutOff.localReads.length > 0 ? `, ${cutOff.localReads.length} serializable reads served locally by cut-off members (allowed)` : "";
    const unattributed =
      cutOff.unattributed > 0
        ? `; ${cutOff.unattributed} operations of clients given every member named no member (only an answer does), so acknowledgements are judged by the member that answered and refusals are not counted`
        : "";
    const operations = `${cutOff.judged} operations sent to members while cut off, none acknowledged${local}${unattributed}`;
    if (leaders.samples === 0) {
      return { verdict: "unknown", summary: `no status sample carries raft's term and leader, so leaders per term cannot be judged; ${operations}`, anomalies: [], ...evidence };
    }
    if (cutOff.untimed > 0) {
      const why = `${cutOff.untimed} operations could not be judged: the status answers after them carry no request time (samples recorded before it was), so nothing bounds when the member was asked`;
      return { verdict: "unknown", summary: `one leader per term in ${leaders.terms} terms; ${why}; ${operations}`, anomalies: [], ...evidence };
    }
    return { verdict: "valid", summary: `one leader per term in ${leaders.terms} term${leaders.terms === 1 ? "" : "s"} (${leaders.samples} raft samples); ${operations}`, anomalies: [], ...evidence };
  },
};

/**
 * Leaders reported per raft term; a term with two is a split brain. From raft's own state on every
 * member (term and leader from one raft snapshot): raft lets an old leader believe it leads after a
 * newer one was elected, but never in the same term, and a member learns of a term's leader only from
 * that leader; so two members each leading term T, or one following X in T while another follows Y in
 * T, is a split brain. etcd's Status term is not used: it is the term of the last applied entry, which
 * lags an election.
 */
export function leadersPerTerm(statuses: StatusSample[]): { samples: number; terms: number; conflicts: TermConflict[] } {
  const byTerm = new Map<number, Map<string, { leader: string; reporters: Map<string, { from: number; to: number; revisions: Set<number> }> }>>();
  let samples = 0;
  for (const sample of statuses) {
    const raft = sample.raft;
    if (!raft) continue;
    samples++;
    const claims: Array<[string, string]> = [];
    if (raft.leadId !== null) claims.push([raft.leadId, raft.lead ?? raft.leadId]);
    if (raft.role === "leader" && raft.leadId !== raft.id) claims.push([raft.id, sample.member]);
    for (const [id, name] of claims) {
      const leaders = byTerm.get(raft.term) ?? new Map();
      byTerm.set(raft.term, leaders);
      const entry = leaders.get(id) ?? { leader: name, reporters: new Map() };
      leaders.set(id, entry);
      const reporter = entry.reporters.get(sample.member) ?? { from: sample.time, to: sample.time, revisions: new Set<number>() };
      reporter.to = sample.time;
      if (sample.revision !== undefined) reporter.revisions.add(sample.revision);
      entry.reporters.set(sample.member, reporter);
    }
  }
  const conflicts: TermConflict[] = [...byTerm]
    .filter(([, leaders]) => leaders.size > 1)
    .map(([term, leaders]) => ({
      term,
      leaders: [...leaders].map(([id, entry]) => ({
        leader: entry.leader,
        id,
        reportedBy: [...entry.reporters].map(([member, seen]) => ({
          member,
          fromS: seconds(seen.from),
          toS: seconds(seen.to),
          revisions: [...seen.revisions].sort((a, b) => a - b),
        })),
      })),
    }));
  return { samples, terms: byTerm.size, conflicts };
}

/**
 * Operations sent to members while they were cut off, and those of them acknowledged. "Cut off" is read
 * from the evidence, not from the schedule: an operation on member m was sent while m was cut off when
 * m's commit index, read after the operation completed, is below an index some member had already
 * reported committed before it was invoked. That is sound, sampling every 200 ms or not: a write
 * acknowledged by m is a new raft entry appended after every entry committed before it was proposed,
 * which m applied before answering (a stale leader cannot commit once a newer term holds a quorum); a
 * linearizable read on m waits until m applied the leader's read index, at least every index committed
 * before the read. So a write acknowledged with m's commit index afterwards at or below, or a
 * linearizable read with it below, what was committed before is a violation whatever the cause.
 * "Before" uses answers that arrived before the invocation, "afterwards" m's first answer to a request
 * sent after the completion. An operation whose member was restarted, killed or replaced in between is
 * not judged (a restarted member may report a lower index); serializable reads are counted, not judged.
 */
export function cutOffOperations(run: Pick<RecordedRun, "history" | "statuses" | "faults" | "settings">): {
  judged: number;
  refused: number;
  notJudged: number;
  /** Operations whose member answered afterwards only in samples without a request time: not judged. */
  untimed: number;
  /** Completed operations of clients given every member that name no member (refused ones: only answers name one). */
  unattributed: number;
  acknowledged: CutOffOperation[];
  localReads: CutOffOperation[];
} {
  const answered = run.statuses.filter((sample) => commitOf(sample) !== undefined);
  const committed = committedBefore(answered);
  // An answer's request time bounds when the member's state was read; an answer without one proves nothing.
  const timed = answered.filter((sample) => sample.requested !== undefined);
  const after = firstAnswerAfter(timed);
  const untimedAfter = (member: string, time: number): boolean => answered.some((sample) => sample.requested === undefined && sample.member === member && sample.time > time);
  const acknowledged: CutOffOperation[] = [];
  const localReads: CutOffOperation[] = [];
  let judged = 0;
  let refused = 0;
  let notJudged = 0;
  let untimed = 0;
  let unattributed = 0;
  for (const op of pairOperations(run.history)) {
    if (op.complete === undefined || op.f === "watch") continue;
    // A client given every member: only an answer names the member, so refusals cannot be placed.
    if (op.node === undefined) {
      unattributed++;
      continue;
    }
    const before = committed(op.invoke.time);
    const answer = after(op.node, op.complete.time);
    if (before && !answer && untimedAfter(op.node, op.complete.time)) untimed++;
    if (!before || !answer) continue;
    if (restartedBetween(run.faults, op.node, op.complete.time, requestedAt(answer))) {
      notJudged++;
      continue;
    }
    const read = isReadOnly(op);
    const behind = commitOf(answer)! < commitOf(before)!;
    // A write needs a new entry past everything committed before it, so equal is not enough either.
    const impossible = read ? behind : commitOf(answer)! <= commitOf(before)!;
    const readMode = run.settings.readMode;
    if (behind && (!read || readMode === "linearizable")) {
      judged++;
      if (op.type !== "ok") refused++;
    }
    if (op.type !== "ok" || !impossible) continue;
    const entry = describeOperation(op, before, answer);
    if (read && readMode === "serializable") localReads.push(entry);
    else acknowledged.push(entry);
  }
  return { judged, refused, notJudged, untimed, unattributed, acknowledged, localReads };
}

/** The sample holding the highest commit index among answers that arrived by a given time. */
function committedBefore(answered: StatusSample[]): (time: number) => StatusSample | undefined {
  const sorted = [...answered].sort((a, b) => a.time - b.time);
  const best: StatusSample[] = [];
  for (const sample of sorted) {
    const previous = best.at(-1);
    best.push(previous && commitOf(previous)! >= commitOf(sample)! ? previous : sample);
  }
  return (time) => {
    const index = lastAtOrBefore(sorted, time, (sample) => sample.time);
    return index < 0 ? undefined : best[index];
  };
}

/** A member's first answer to a request sent at or after a given time. */
function firstAnswerAfter(answered: StatusSample[]): (member: string, time: number) => StatusSample | undefined {
  const byMember = new Map<string, StatusSample[]>();
  for (const sample of answered) {
    const list = byMember.get(sample.member) ?? [];
    list.push(sample);
    byMember.set(sample.member, list);
  }
  for (const list of byMember.values()) list.sort((a, b) => requestedAt(a) - requestedAt(b));
  return (member, time) => {
    const list = byMember.get(member) ?? [];
    return list[lastAtOrBefore(list, time, requestedAt, true) + 1];
  };
}

/** Index of the last item whose key is at or before `time` (strictly before with `strict`), -1 when none. */
function lastAtOrBefore<T>(items: T[], time: number, key: (item: T) => number, strict = false): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const at = key(items[middle]!);
    if (strict ? at < time : at <= time) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

/**
 * A member's commit index: raft's own (every entry up to it is committed, and the member has applied
 * no further), else etcd's Status raft index, the last committed index handed to the apply loop.
 */
export const commitOf = (sample: StatusSample): number | undefined => sample.raft?.commit ?? (sample.error === undefined ? sample.raftIndex : undefined);

/** When a timed sample's request was sent. */
const requestedAt = (sample: StatusSample): number => sample.requested!;

function restartedBetween(faults: FaultRecord[], member: string, from: number, to: number): boolean {
  return faults.some((fault) => restartingFaults.has(fault.fault) && fault.targets.includes(member) && fault.start <= to && fault.end >= from);
}

function commitPoint(sample: StatusSample): CommitPoint {
  return {
    member: sample.member,
    atS: seconds(sample.time),
    commitIndex: commitOf(sample)!,
    leader: sample.raft ? sample.raft.lead : sample.leader,
    ...(sample.raft ? { raftTerm: sample.raft.term, role: sample.raft.role } : {}),
    ...(sample.revision !== undefined ? { revision: sample.revision } : {}),
  };
}

function describeOperation(op: Operation, before: StatusSample, answer: StatusSample): CutOffOperation {
  return {
    invokeIndex: op.invoke.index,
    process: op.process,
    f: op.f,
    ...(op.key !== undefined ? { key: op.key } : {}),
    value: op.complete?.value ?? op.invoke.value,
    node: op.node!,
    type: op.type,
    invokeS: seconds(op.invoke.time),
    completeS: seconds((op.complete as HistoryEntry).time),
    committedBefore: commitPoint(before),
    memberAfter: commitPoint(answer),
  };
}

const leaderText = (point: CommitPoint): string =>
  `${point.leader ? `leader ${point.leader}` : "no leader"}${point.raftTerm !== undefined ? `, term ${point.raftTerm}` : ""}${point.revision !== undefined ? `, revision ${point.revision}` : ""}`;

function describeCutOff(op: CutOffOperation): string {
  const { memberAfter: after, committedBefore: before } = op;
  return (
    `${op.node} acknowledged ${op.f}${op.key ? ` ${op.key}` : ""} (process ${op.process}, ${op.invokeS.toFixed(2)}-${op.completeS.toFixed(2)}s) while cut off: ` +
    `its commit index was ${after.commitIndex} at ${after.atS.toFixed(2)}s (${leaderText(after)}), ` +
    `${after.commitIndex < before.commitIndex ? "below" : "no further than"} index ${before.commitIndex} that ${before.member} reported committed at ${before.atS.toFixed(2)}s (${leaderText(before)})`
  );
}

function cutOffAnomaly(op: CutOffOperation): Anomaly {
  return {
    kind: "acknowledged-while-cut-off",
    explanation: describeCutOff(op),
    ops: [op.invokeIndex],
    members: [...new Set([op.node, op.committedBefore.member])],
    ...span(op.invokeS * 1e9, op.completeS * 1e9),
  };
}

function conflictAnomaly(conflict: TermConflict): Anomaly {
  const reports = conflict.leaders.flatMap((leader) => leader.reportedBy);
  return {
    kind: "two-leaders-in-a-term",
    explanation: describeConflict(conflict),
    ops: [],
    members: [...new Set([...conflict.leaders.map((leader) => leader.leader), ...reports.map((report) => report.member)])],
    ...span(Math.min(...reports.map((report) => report.fromS)) * 1e9, Math.max(...reports.map((report) => report.toS)) * 1e9),
  };
}

function describeConflict(conflict: TermConflict): string {
  const leaders = conflict.leaders.map(
    (leader) =>
      `${leader.leader} (${leader.reportedBy
        .map((by) => `${by.member} at ${by.fromS.toFixed(1)}-${by.toS.toFixed(1)}s${by.revisions.length ? `, revision ${by.revisions[0]}${by.revisions.length > 1 ? `-${by.revisions.at(-1)}` : ""}` : ""}`)
        .join("; ")})`,
  );
  return `term ${conflict.term} had ${conflict.leaders.length} leaders: ${leaders.join(" and ")}`;
}
