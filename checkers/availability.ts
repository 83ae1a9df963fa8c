// Availability: acknowledged writes per phase (before, during and after each fault), recovery after each heal and leader elections, held to the thresholds it is built with (docs/guarantees.md).
import { z } from "zod";
import type { Anomaly, CheckResult } from "../record/check-result.ts";
import type { FaultRecord } from "../record/fault.ts";
import type { RecordedRun } from "../record/run.ts";
import type { StatusSample } from "../record/status.ts";
import { span, type Checker } from "./checker.ts";
import { isReadOnly } from "./op-kinds.ts";
import { pairOperations, type Operation } from "./operations.ts";
import { groupWindow, seconds } from "./partition-windows.ts";

const faultExpectationSchema = z.object({
  /** Acknowledged writes per second through the members the fault left whole with a quorum, while it lasts. */
  minWritesPerSecondDuring: z.number().nonnegative().optional(),
  /** Most seconds from the end of its heal to the first acknowledged write. */
  maxRecoveryS: z.number().nonnegative().optional(),
});
export type FaultExpectation = z.infer<typeof faultExpectationSchema>;

/** The thresholds a scenario holds its runs to: the availability checker's options. */
export const availabilityOptionsSchema = z.object({
  /** Acknowledged writes per second before the first fault (over the whole run when there is none). */
  minWritesPerSecondBefore: z.number().nonnegative().optional(),
  /** By fault name; "*" for any fault not named. */
  faults: z.record(z.string(), faultExpectationSchema).optional(),
});
export type AvailabilityExpectations = z.infer<typeof availabilityOptionsSchema>;

/** A rate is not judged over a window shorter than this: a fraction of a second says nothing about one. */
const shortestJudgedS = 1;

export interface PhaseFigures {
  fromS: number;
  toS: number;
  durationS: number;
  acknowledged: number;
  acknowledgedPerSecond: number;
  writes: number;
  writesPerSecond: number;
  failed: number;
  uncertain: number;
  /** Seconds of the phase no quorum of members agreed on a leader. */
  leaderlessS: number;
}

export interface FaultAvailability {
  fault: string;
  targets: string[];
  during: PhaseFigures & {
    /** Members whose acknowledged writes count towards the expected rate; "all", or null when the fault left no quorum whole. */
    serving: string[] | "all" | null;
    servingWrites: number;
    /** Writes sent to the serving members while the fault lasted; with none, the expected rate cannot be judged. */
    servingWritesOffered: number;
    servingWritesPerSecond: number;
    longestGapS: number;
  };
  after: PhaseFigures;
  recovery: {
    /** Seconds from the end of the heal to the first acknowledged write, anywhere; absent when none came. */
    firstWriteS?: number;
    /** The same, through a member the fault hit. */
    firstWriteThroughTargetsS?: number;
    /** Acknowledged reads and writes through the members the fault hit, from the heal to the next fault (or the end). */
    servedThroughTargets: { reads: number; writes: number };
    /** Seconds of workload left after the heal. */
    observedS: number;
  };
  expected: FaultExpectation;
}

export interface Elections {
  leaderChanges: Array<{ atS: number; from: string; to: string }>;
  leaderlessSpells: Array<{ fromS: number; toS: number; durationS: number }>;
  longestLeaderlessS: number;
  /** Raft terms seen first and last (elections started, pre-votes aside), when samples carry raft's state. */
  raftTerms?: { first: number; last: number };
}

export function availabilityChecker(expectations: AvailabilityExpectations): Checker {
  return { name: "availability", check: (run) => judgeAvailability(run, expectations) };
}

function judgeAvailability(run: RecordedRun, expectations: AvailabilityExpectations): CheckResult {
  {
    const finals = new Set(run.probes.finalReads?.processes ?? []);
    const ops = pairOperations(run.history).filter((op) => !finals.has(op.process));
    if (ops.length === 0) return { verdict: "unknown", summary: "no client operation was recorded", anomalies: [] };
    const start = ops.reduce((least, op) => Math.min(least, op.invoke.time), Infinity);
    const end = ops.reduce((most, op) => Math.max(most, op.complete?.time ?? op.invoke.time), -Infinity);
    const elections = electionsOf(run.statuses);
    const spells = elections.leaderlessSpells;
    const faults = [...run.faults].sort((a, b) => a.start - b.start);
    const before = figures(ops, start, faults[0]?.start ?? end, spells);
    const perFault = faults.map((fault, index) =>
      faultAvailability(fault, ops, run.members, faults[index + 1]?.start ?? end, end, spells, expectationFor(expectations, fault.fault)),
    );

    const shortfalls: Anomaly[] = [];
    const unobserved: string[] = [];
    const shortfall = (kind: string, explanation: string, members: string[], from: number, to: number): number =>
      shortfalls.push({ kind, explanation, ops: [], members, ...span(from, to) });
    const minBefore = expectations.minWritesPerSecondBefore;
    if (minBefore !== undefined && before.durationS >= shortestJudgedS && before.writesPerSecond < minBefore) {
      shortfall("too-few-writes", `before the first fault ${rate(before.writesPerSecond)} writes/s were acknowledged, at least ${minBefore} expected`, run.members, start, faults[0]?.start ?? end);
    }
    perFault.forEach((entry, index) => {
      const fault = faults[index]!;
      const name = `${entry.fault} of ${entry.targets.join(",")} (${entry.during.fromS.toFixed(1)}-${entry.during.toS.toFixed(1)}s)`;
      const minDuring = entry.expected.minWritesPerSecondDuring;
      const servingText = entry.during.serving === "all" ? "the cluster" : entry.during.serving?.join(",");
      const judgedDuring = minDuring !== undefined && entry.during.serving !== null && entry.during.durationS >= shortestJudgedS;
      if (judgedDuring && entry.during.servingWritesOffered === 0) {
        unobserved.push(`no client sent a write to ${servingText} during ${name}`);
      } else if (judgedDuring && entry.during.servingWritesPerSecond < minDuring) {
        const serving = entry.during.serving === "all" ? run.members : (entry.during.serving ?? []);
        shortfall("too-few-writes", `during ${name} ${servingText} acknowledged ${rate(entry.during.servingWritesPerSecond)} writes/s, at least ${minDuring} expected`, serving, fault.start, fault.end);
      }
      const maxRecovery = entry.expected.maxRecoveryS;
      if (maxRecovery === undefined) return;
      const first = entry.recovery.firstWriteS;
      const slow = (explanation: string, untilS: number): number => shortfall("slow-recovery", explanation, fault.targets, fault.end, fault.end + untilS * 1e9);
      if (first !== undefined && first > maxRecovery) slow(`after ${name} the first write was acknowledged ${first.toFixed(1)}s after the heal, at most ${maxRecovery}s expected`, first);
      if (first === undefined && entry.recovery.observedS > maxRecovery) slow(`after ${name} no write was acknowledged in the ${entry.recovery.observedS.toFixed(1)}s left, at most ${maxRecovery}s expected`, entry.recovery.observedS);
      if (first === undefined && entry.recovery.observedS <= maxRecovery) unobserved.push(`the workload ended ${entry.recovery.observedS.toFixed(1)}s after the heal of ${name}, before any write`);
    });
    const evidence = { expectations, before, faults: perFault, elections };
    if (shortfalls.length > 0) return { verdict: "invalid", summary: shortfalls.map((anomaly) => anomaly.explanation).join("; "), anomalies: shortfalls, ...evidence };
    if (unobserved.length > 0) return { verdict: "unknown", summary: `not observed: ${unobserved.join("; ")}`, anomalies: [], ...evidence };
    const judged = minBefore !== undefined || perFault.some((entry) => Object.keys(entry.expected).length > 0);
    return { verdict: "valid", summary: `${judged ? "" : "figures only (no thresholds): "}${describe(before, perFault, elections)}`, anomalies: [], ...evidence };
  }
}

export function expectationFor(expectations: AvailabilityExpectations, fault: string): FaultExpectation {
  return expectations.faults?.[fault] ?? expectations.faults?.["*"] ?? {};
}

/** Faults that take their targets' etcd down for a while (killed, paused, crashed at a failpoint, stopped to damage its files, without power) or cut it off alone. */
const memberDownFaults = new Set(["kill", "pause", "failpoint-crash", "bitflip", "wal-truncate", "power-loss", "blackhole-until-snapshot"]);

/**
 * Members the fault left whole with a quorum, "all" when it hit no member's ability to serve, null when
 * no quorum was left: a partition's majority side, or the members a kill or pause did not hit when they
 * hold a quorum. During a fault, writes count through these members.
 */
export function servingMembers(fault: FaultRecord, members: string[]): string[] | "all" | null {
  const quorum = Math.floor(members.length / 2) + 1;
  if (fault.fault === "partition" || fault.fault === "partition-flapping") {
    const majority = groupWindow(fault, members).majority;
    return majority.length > 0 ? majority : null;
  }
  if (memberDownFaults.has(fault.fault)) {
    const rest = members.filter((member) => !fault.targets.includes(member));
    return rest.length >= quorum ? rest : null;
  }
  return "all";
}

function faultAvailability(
  fault: FaultRecord,
  ops: Operation[],
  members: string[],
  nextStart: number,
  end: number,
  spells: Elections["leaderlessSpells"],
  expected: FaultExpectation,
): FaultAvailability {
  const during = figures(ops, fault.start, fault.end, spells);
  const serving = servingMembers(fault, members);
  const onServing = (op: Operation): boolean => serving === "all" || (serving ?? []).includes(op.node ?? "");
  const counted = acknowledgedWrites(ops).filter((op) => op.complete!.time >= fault.start && op.complete!.time <= fault.end && onServing(op));
  const offered = ops.filter(
    (op) => !isReadOnly(op) && onServing(op) && op.invoke.time <= fault.end && (op.complete?.time ?? Infinity) >= fault.start,
  ).length;
  const marks = [fault.start, ...counted.map((op) => op.complete!.time).sort((a, b) => a - b), fault.end];
  const longestGapS = marks.slice(1).reduce((longest, time, index) => Math.max(longest, seconds(time - marks[index]!)), 0);
  const afterHeal = acknowledgedWrites(ops).filter((op) => op.complete!.time >= fault.end);
  const firstAfter = (list: Operation[]): number | undefined =>
    list.length ? seconds(list.reduce((least, op) => Math.min(least, op.complete!.time), Infinity) - fault.end) : undefined;
  const firstWriteS = firstAfter(afterHeal);
  const firstWriteThroughTargetsS = firstAfter(afterHeal.filter((op) => fault.targets.includes(op.node ?? "")));
  const servedThroughTargets = ops.filter(
    (op) => op.type === "ok" && fault.targets.includes(op.node ?? "") && op.complete!.time >= fault.end && op.complete!.time < Math.max(fault.end, nextStart),
  );
  return {
    fault: fault.fault,
    targets: fault.targets,
    during: {
      ...during,
      serving,
      servingWrites: counted.length,
      servingWritesOffered: offered,
      servingWritesPerSecond: during.durationS > 0 ? counted.length / during.durationS : 0,
      longestGapS,
    },
    after: figures(ops, fault.end, Math.max(fault.end, nextStart), spells),
    recovery: {
      ...(firstWriteS !== undefined ? { firstWriteS } : {}),
      ...(firstWriteThroughTargetsS !== undefined ? { firstWriteThroughTargetsS } : {}),
      servedThroughTargets: { reads: servedThroughTargets.filter(isReadOnly).length, writes: servedThroughTargets.filter((op) => !isReadOnly(op)).length },
      observedS: Math.max(0, seconds(end - fault.end)),
    },
    expected,
  };
}

const acknowledgedWrites = (ops: Operation[]): Operation[] => ops.filter((op) => op.type === "ok" && !isReadOnly(op));

/** What completed in [from, to]: acknowledged operations and writes, failures, uncertain outcomes, leaderless time. */
function figures(ops: Operation[], from: number, to: number, spells: Elections["leaderlessSpells"]): PhaseFigures {
  const inside = ops.filter((op) => op.complete !== undefined && op.complete.time >= from && op.complete.time < to);
  const durationS = Math.max(0, seconds(to - from));
  const acknowledged = inside.filter((op) => op.type === "ok");
  const writes = acknowledged.filter((op) => !isReadOnly(op)).length;
  const leaderlessS = spells.reduce((sum, spell) => sum + Math.max(0, Math.min(spell.toS, seconds(to)) - Math.max(spell.fromS, seconds(from))), 0);
  return {
    fromS: seconds(from),
    toS: seconds(to),
    durationS,
    acknowledged: acknowledged.length,
    acknowledgedPerSecond: durationS > 0 ? acknowledged.length / durationS : 0,
    writes,
    writesPerSecond: durationS > 0 ? writes / durationS : 0,
    failed: inside.filter((op) => op.type === "fail").length,
    uncertain: inside.filter((op) => op.type === "info").length,
    leaderlessS,
  };
}

/**
 * Leader changes and leaderless spells from the status samples, taken in rounds every 200 ms: a round
 * has a leader when a quorum of the round's members name the same one; a leader change is a round whose
 * leader differs from the last one seen, and a leaderless spell runs from the first round without a
 * leader to the next round with one (so its length is known to about one round).
 */
export function electionsOf(statuses: StatusSample[]): Elections {
  const rounds = new Map<number, StatusSample[]>();
  for (const sample of statuses) rounds.set(sample.time, [...(rounds.get(sample.time) ?? []), sample]);
  const ordered = [...rounds].sort((a, b) => a[0] - b[0]);
  const leaderChanges: Elections["leaderChanges"] = [];
  const leaderlessSpells: Elections["leaderlessSpells"] = [];
  let current: string | null = null;
  let leaderlessSince: number | undefined;
  for (const [time, samples] of ordered) {
    const leader = roundLeader(samples);
    if (leader === undefined) {
      leaderlessSince ??= time;
      continue;
    }
    if (leaderlessSince !== undefined) {
      leaderlessSpells.push({ fromS: seconds(leaderlessSince), toS: seconds(time), durationS: seconds(time - leaderlessSince) });
      leaderlessSince = undefined;
    }
    if (leader !== current) {
      if (current !== null) leaderChanges.push({ atS: seconds(time), from: current, to: leader });
      current = leader;
    }
  }
  const last = ordered.at(-1)?.[0];
  if (leaderlessSince !== undefined && last !== undefined) {
    leaderlessSpells.push({ fromS: seconds(leaderlessSince), toS: seconds(last), durationS: seconds(last - leaderlessSince) });
  }
  let terms: { first: number; last: number } | undefined;
  for (const sample of statuses) {
    if (sample.raft) terms = { first: Math.min(terms?.first ?? Infinity, sample.raft.term), last: Math.max(terms?.last ?? -Infinity, sample.raft.term) };
  }
  return {
    leaderChanges,
    leaderlessSpells,
    longestLeaderlessS: Math.max(0, ...leaderlessSpells.map((spell) => spell.durationS)),
    ...(terms ? { raftTerms: terms } : {}),
  };
}

/** The leader a quorum of the round's members name, if any. */
function roundLeader(samples: StatusSample[]): string | undefined {
  const quorum = Math.floor(samples.length / 2) + 1;
  const counts = new Map<string, number>();
  for (const sample of samples) {
    const leader = sample.raft ? sample.raft.lead : sample.leader;
    if (sample.error === undefined && leader) counts.set(leader, (counts.get(leader) ?? 0) + 1);
  }
  return [...counts].find(([, count]) => count >= quorum)?.[0];
}

const rate = (value: number): string => value.toFixed(1);
const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? "" : "s"}`;

function describe(before: PhaseFigures, faults: FaultAvailability[], elections: Elections): string {
  const parts = [`${rate(before.writesPerSecond)} writes/s before the faults`];
  for (const entry of faults) {
    const during = entry.during.serving === null ? "no quorum left" : `${rate(entry.during.servingWritesPerSecond)} writes/s${entry.during.serving === "all" ? "" : ` on ${entry.during.serving.join(",")}`}`;
    const recovery = entry.recovery.firstWriteS !== undefined ? `first write ${entry.recovery.firstWriteS.toFixed(1)}s after the heal` : "no write after the heal";
    const served = entry.recovery.servedThroughTargets;
    parts.push(`${entry.fault} of ${entry.targets.join(",")}: ${during}, ${recovery}, then ${served.reads} reads and ${served.writes} writes through ${entry.targets.join(",")}`);
  }
  parts.push(`${plural(elections.leaderChanges.length, "leader change")}, longest ${elections.longestLeaderlessS.toFixed(1)}s without a leader agreed by a quorum`);
  return parts.join("; ");
}
