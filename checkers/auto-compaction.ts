// The auto-compaction checker: watchers that resumed behind etcd's own compaction were told so and sent nothing, and no resume skipped anything else.
import { z } from "zod";
import type { Anomaly, CheckResult } from "../record/check-result.ts";
import type { RecordedRun } from "../record/run.ts";
import type { StatusSample } from "../record/status.ts";
import type { WatchEvent, WatchSessionRecord, WatchSessionStart } from "../record/values/watch.ts";
import type { Checker } from "./checker.ts";
import { pairOperations, type Operation } from "./operations.ts";
import { watchChecker, type WatchGuarantee, type WatchViolation, type WatcherSummary } from "./watch.ts";

export const autoCompactionOptionsSchema = z.strictObject({
  /** The run's --auto-compaction-mode: which cadence the summary names (both are in the evidence). */
  mode: z.enum(["periodic", "revision"]).optional(),
});
export type AutoCompactionOptions = z.infer<typeof autoCompactionOptionsSchema>;

/** A watch session etcd cancelled because the revision it started from was compacted away. */
export interface CompactedAnswer {
  watcher: string;
  member: string;
  process: number;
  /** History index of the session's invocation. */
  index: number;
  /** The session's place in its watcher's chain: 0 is the watcher's first, every later one resumed. */
  session: number;
  fromRevision: number;
  compactRevision: number;
  /** Events sent before the answer: a member still applying the compaction serves them, one that had applied it must not. */
  events: number;
  /** Refused when the watch was created (a fail), rather than cancelled after (an ok). */
  atCreation: boolean;
  /** Run-clock nanoseconds when the answer was recorded. */
  time: number;
}

/**
 * A member's compact revision as the run saw it: a compacted answer (by its arrival), or a one-shot
 * watch opened at the compaction revision the member's HashKV reported (by its invocation).
 */
export interface CompactObservation {
  member: string;
  compactRevision: number;
  /** Run-clock nanoseconds by which the member had compacted that far. */
  time: number;
  /** History index of the session's invocation. */
  index: number;
  source: "answer" | "one-shot";
}

export interface MemberAnswers {
  member: string;
  /** Sessions that resumed behind a compaction and were told so. */
  resumed: number;
  /** Every compacted answer, first sessions included. */
  answers: number;
  compactRevisions: number[];
}

export type AutoCompactionViolationKind = "events-behind-compaction" | "compaction-not-forward" | "gap";

export interface AutoCompactionViolation {
  kind: AutoCompactionViolationKind;
  watcher: string;
  process: number;
  member?: string;
  /** History index of the session's invocation. */
  index: number;
  revision: number;
  detail: string;
}

/** How often etcd compacted, as far as the status samples and the compactions seen tell. */
export interface Cadence {
  /** When some member first held each observed compact revision (run-clock seconds, from the status samples). */
  reached: Array<{ compactRevision: number; atS: number }>;
  /**
   * Seconds between successive entries of `reached`. Periodic mode compacts every retention period to
   * the revision it held one period before, so these are that period, or a multiple of it where a
   * compaction went unseen.
   */
  secondsBetween: number[];
  /**
   * Revision mode keeps the last `retention` revisions when it compacts: for each compact revision, the
   * highest revision sampled in the half second after it was first seen, less the compact revision,
   * bounds that from above (the compaction came before it was seen), provided the leader or a member
   * caught up with it answered in that half second.
   */
  keptAtMost: Array<{ compactRevision: number; revisions: number }>;
}

/** The watch checker's counts of gaps: sessions that resumed from the wrong revision or skipped one, and events missed inside a session. */
export interface Gaps {
  resumable: number;
  reliable: number;
}

interface Session {
  op: Operation;
  watcher: string;
  position: number;
  member: string;
  from: number;
  events: WatchEvent[];
  compactRevision?: number;
  /** A one-shot watch opened at the compaction revision its member reported: `from` is that revision. */
  atCompaction: boolean;
}

const maxListed = 20;
const gapGuarantees: WatchGuarantee[] = ["resumable", "reliable"] satisfies Array<keyof Gaps>;

export function autoCompactionChecker(options: AutoCompactionOptions = {}): Checker {
  return { name: "auto-compaction", check: (run) => judge(run, options) };
}

function judge(run: RecordedRun, options: AutoCompactionOptions): CheckResult {
  const sessions = sessionsOf(pairOperations(run.history), oneShotsAtCompaction(run));
  if (sessions.length === 0) return { verdict: "unknown", summary: "no watch sessions in the history: the rehearsal needs the watch workload", anomalies: [] };
  const observations = observationsOf(sessions);
  const watch = watchChecker.check(run);
  const counts = watch["guarantees"] as Partial<Record<WatchGuarantee, number>> | undefined;
  const gaps: Gaps = { resumable: counts?.resumable ?? 0, reliable: counts?.reliable ?? 0 };
  const violations = [...answerViolations(sessions, observations), ...gapViolations(watch)];
  const compactRevisions = [...new Set(observations.map((observation) => observation.compactRevision))].sort((a, b) => a - b);
  const answers = sessions.filter((session) => session.compactRevision !== undefined).map(answerOf);
  const members = membersOf(answers);
  const cadence = cadenceOf(compactRevisions, observations, run.statuses);
  const skipped = skippedByCompaction(watch);
  const evidence = {
    sessions: sessions.length,
    answers: answers.slice(0, 50),
    members,
    compactions: compactRevisions.length,
    compactRevisions,
    seenBy: { answers: answers.length, oneShots: observations.filter((observation) => observation.source === "one-shot").length },
    cadence,
    skipped,
    gaps,
    violations: violations.slice(0, maxListed),
  };
  const resumed = answers.filter((answer) => answer.session > 0).length;
  const perMember = members.map((member) => `${member.member} ${member.resumed}`).join(", ");
  const scope = `${sessions.length} sessions; ${describeCompactions(compactRevisions)}${describeCadence(cadence, options.mode)}`;
  if (violations.length > 0) {
    const kinds = [...new Set(violations.map((violation) => violation.kind))].map((kind) => `${kind} ${violations.filter((violation) => violation.kind === kind).length}`);
    const first = violations[0]!;
    return {
      verdict: "invalid",
      summary: `${violations.length} violations (${kinds.join(", ")}); first: ${first.watcher} (process ${first.process} on ${first.member ?? "?"}) ${first.detail}; ${scope}`,
      anomalies: violations.map(anomalyOf),
      ...evidence,
    };
  }
  if (resumed === 0) {
    return {
      verdict: "unknown",
      summary: `no watcher resumed behind a compaction, so the rehearsal did not exercise what it is for (a watcher must stay away longer than etcd keeps revisions); ${scope}`,
      anomalies: [],
      ...evidence,
    };
  }
  return {
    verdict: "valid",
    summary: `${resumed} resumes behind a compaction got the compacted answer (${perMember}); none got events below a compact revision its member had shown; ${skipped.writes} writes compacted away unseen, no other gap; ${scope}`,
    anomalies: [],
    ...evidence,
  };
}

/**
 * Whether a watch's first session that starts past revision 1 is a one-shot at its member's compaction
 * revision: the watch workload starts every resuming watcher at 1, and opens one-shots at the compaction
 * revision or (indistinguishably) at a future one; so only when the run's one-shots are all of the first kind.
 */
function oneShotsAtCompaction(run: RecordedRun): boolean {
  const kinds = run.settings.watchOneShots ?? [];
  return kinds.includes("compaction") && !kinds.includes("future");
}

/** Watch sessions in invocation order, each with its watcher (as the watch checker names it) and its place in that watcher's chain. */
function sessionsOf(operations: Operation[], oneShotsAtCompaction: boolean): Session[] {
  const positions = new Map<string, number>();
  return operations
    .filter((op) => op.f === "watch")
    .map((op) => {
      const start = (op.invoke.value ?? {}) as Partial<WatchSessionStart>;
      if (typeof start.fromRevision !== "number") throw new Error(`history line ${op.invoke.index}: watch invocation without a numeric fromRevision`);
      const watcher = start.watcher !== undefined ? `watcher ${start.watcher}` : `process ${op.process}`;
      const position = positions.get(watcher) ?? 0;
      positions.set(watcher, position + 1);
      const record = op.type !== "info" ? (op.complete?.value as WatchSessionRecord | undefined) : undefined;
      return {
        op,
        watcher,
        position,
        member: op.node ?? "?",
        from: start.fromRevision,
        events: op.type === "ok" ? (record?.events ?? []) : [],
        ...(record?.compactRevision !== undefined ? { compactRevision: record.compactRevision } : {}),
        atCompaction: oneShotsAtCompaction && position === 0 && start.fromRevision > 1,
      };
    });
}

function observationsOf(sessions: Session[]): CompactObservation[] {
  return sessions.flatMap((session): CompactObservation[] => {
    const base = { member: session.member, index: session.op.invoke.index };
    if (session.compactRevision !== undefined) return [{ ...base, compactRevision: session.compactRevision, time: session.op.complete!.time, source: "answer" }];
    return session.atCompaction ? [{ ...base, compactRevision: session.from, time: session.op.invoke.time, source: "one-shot" }] : [];
  });
}

/**
 * A compacted answer must lie past where the watcher stood (its start, its last event) and not behind
 * what its member showed before: a member's compact revision only moves forward. A session started on a
 * member after that member showed compact revision K, from a revision below K, must be told so at
 * once: etcd cancels an unsynced watcher below the compact revision before it sends any event.
 */
function answerViolations(sessions: Session[], observations: CompactObservation[]): AutoCompactionViolation[] {
  const violations: AutoCompactionViolation[] = [];
  const byMember = Map.groupBy(observations, (observation) => observation.member);
  for (const session of sessions) {
    const invoked = session.op.invoke.time;
    const latest = (byMember.get(session.member) ?? [])
      .filter((observation) => observation.time < invoked)
      .reduce<CompactObservation | undefined>((best, observation) => (best && best.compactRevision >= observation.compactRevision ? best : observation), undefined);
    const shown = latest && `${session.member} had shown compact revision ${latest.compactRevision} before (${latest.source === "answer" ? "an answer" : "a one-shot watch opened there"}, history line ${latest.index})`;
    const violate = (kind: AutoCompactionViolationKind, revision: number, detail: string): void => {
      violations.push({ kind, watcher: session.watcher, process: session.op.process, member: session.member, index: session.op.invoke.index, revision, detail });
    };
    const answered = session.compactRevision;
    if (answered !== undefined) {
      const stood = Math.max(session.from, ...session.events.map((event) => event.modRevision + 1));
      if (answered <= session.from || answered < stood) {
        violate("compaction-not-forward", answered, `was told revision ${answered} is compacted after starting from ${session.from}${session.events.length > 0 ? ` and receiving up to revision ${stood - 1}` : ""}: a compaction that does not pass where it stood`);
      }
      if (latest && answered < latest.compactRevision) violate("compaction-not-forward", answered, `was told compact revision ${answered}, but ${shown}: its compaction went back`);
    }
    if (latest && session.from < latest.compactRevision && session.events.length > 0) {
      violate("events-behind-compaction", session.events[0]!.modRevision, `${session.position > 0 ? "resumed" : "started"} from revision ${session.from}, but ${shown}, and got ${session.events.length} events from revision ${session.events[0]!.modRevision} instead of the compacted answer`);
    }
  }
  return violations;
}

/** The gaps the watch checker found in a watcher's resumption (a wrong start, a skipped or missed event; the first it lists), as this checker's own. */
function gapViolations(watch: CheckResult): AutoCompactionViolation[] {
  const listed = (watch["violations"] as WatchViolation[] | undefined) ?? [];
  return listed
    .filter((violation) => gapGuarantees.includes(violation.guarantee))
    .map((violation) => ({
      kind: "gap" as const,
      watcher: violation.watcher,
      process: violation.process,
      ...(violation.member !== undefined ? { member: violation.member } : {}),
      index: violation.sessionIndex,
      revision: violation.revision,
      detail: `${violation.guarantee}: ${violation.detail}`,
    }));
}

/** Revisions and writes the watchers lost to compactions, as the watch checker counts them. */
function skippedByCompaction(watch: CheckResult): { spans: number; revisions: number; writes: number } {
  const watchers = (watch["watchers"] as WatcherSummary[] | undefined) ?? [];
  const spans = watchers.flatMap((watcher) => watcher.compacted);
  return { spans: spans.length, revisions: spans.reduce((total, span) => total + Math.max(0, span.to - span.from + 1), 0), writes: spans.reduce((total, span) => total + span.writes, 0) };
}

function answerOf(session: Session): CompactedAnswer {
  return {
    watcher: session.watcher,
    member: session.member,
    process: session.op.process,
    index: session.op.invoke.index,
    session: session.position,
    fromRevision: session.from,
    compactRevision: session.compactRevision!,
    events: session.events.length,
    atCreation: session.op.type === "fail",
    time: session.op.complete!.time,
  };
}

function membersOf(answers: CompactedAnswer[]): MemberAnswers[] {
  return [...Map.groupBy(answers, (answer) => answer.member)]
    .map(([member, own]) => ({
      member,
      resumed: own.filter((answer) => answer.session > 0).length,
      answers: own.length,
      compactRevisions: [...new Set(own.map((answer) => answer.compactRevision))].sort((a, b) => a - b),
    }))
    .sort((a, b) => a.member.localeCompare(b.member));
}

function cadenceOf(compactRevisions: number[], observations: CompactObservation[], statuses: StatusSample[]): Cadence {
  const samples = statuses.filter((sample) => sample.revision !== undefined).sort((a, b) => a.time - b.time);
  const reached = compactRevisions.flatMap((compactRevision) => {
    const sample = samples.find((candidate) => candidate.revision! >= compactRevision);
    return sample ? [{ compactRevision, atS: round(sample.time / 1e9) }] : [];
  });
  const keptAtMost = compactRevisions.flatMap((compactRevision) => {
    const seen = Math.min(...observations.filter((observation) => observation.compactRevision === compactRevision).map((observation) => observation.time));
    const after = samples.filter((sample) => sample.time >= seen && sample.time <= seen + 0.5e9).map((sample) => sample.revision!);
    return after.length > 0 ? [{ compactRevision, revisions: Math.max(...after) - compactRevision }] : [];
  });
  return { reached, secondsBetween: reached.slice(1).map((entry, index) => round(entry.atS - reached[index]!.atS)), keptAtMost };
}

/** "3 compactions seen, at revisions 804, 1066, 1400", the middle of a long list left out. */
function describeCompactions(compactRevisions: number[]): string {
  if (compactRevisions.length === 0) return "no compaction seen";
  const shown = compactRevisions.length <= 8 ? compactRevisions.join(", ") : `${compactRevisions.slice(0, 3).join(", ")}, ..., ${compactRevisions.slice(-3).join(", ")}`;
  return `${compactRevisions.length} compaction${compactRevisions.length === 1 ? "" : "s"} seen, at revision${compactRevisions.length === 1 ? "" : "s"} ${shown}`;
}

function describeCadence(cadence: Cadence, mode: AutoCompactionOptions["mode"]): string {
  const parts: string[] = [];
  if (mode !== "revision" && cadence.secondsBetween.length > 0) {
    parts.push(`observed compact revisions reached ${median(cadence.secondsBetween)}s apart (median of ${cadence.secondsBetween.length})`);
  }
  if (mode !== "periodic" && cadence.keptAtMost.length > 0) parts.push(`at most ${Math.min(...cadence.keptAtMost.map((entry) => entry.revisions))} revisions kept`);
  return parts.length > 0 ? `; ${parts.join(", ")}` : "";
}

function anomalyOf(violation: AutoCompactionViolation): Anomaly {
  return {
    kind: `auto-compaction-${violation.kind}`,
    explanation: `${violation.watcher} (process ${violation.process} on ${violation.member ?? "?"}) ${violation.detail}`,
    ops: [violation.index],
    members: violation.member !== undefined ? [violation.member] : [],
  };
}

const round = (value: number): number => Math.round(value * 10) / 10;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : round((sorted[middle - 1]! + sorted[middle]!) / 2);
}
