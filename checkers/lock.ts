// The lock checker: critical sections of different holders on the same lock must not overlap in real time (docs/guarantees.md).
import type { Anomaly, CheckResult } from "../record/check-result.ts";
import type { FaultRecord } from "../record/fault.ts";
import { defaultLockTtlSeconds, type AcquireValue, type ReleaseValue } from "../record/values/lock.ts";
import { span, type Checker } from "./checker.ts";
import { pairOperations, type Operation } from "./operations.ts";

const maxListed = 20;

export interface CriticalSection {
  lock: string;
  holder: string;
  process: number;
  member?: string;
  lease?: string;
  /** Run-clock nanoseconds. */
  from: number;
  to: number;
  end: "release invoked" | "lease could have expired (never released)";
  acquireIndex: number;
  releaseIndex?: number;
  release?: "ok" | "fail" | "info" | "no completion";
  leaseLost?: string;
  leaseLostAt?: number;
  pausedMs?: number;
  /** Run-clock ns until which the holder's lease was certainly alive (from its acknowledged keep-alives). */
  leaseValidUntil?: number;
}

/**
 * Whose fault an overlap is. etcd's: it granted the second holder the lock at a moment the first
 * holder's lease was certainly alive (the grant happened before the second acquire completed, and the
 * first lease's acknowledged keep-alives kept it alive past that). The client's: the first lease had
 * expired, or may have, when the second took the lock, while its holder, paused or cut off, went on
 * acting on it; that is what a lease-based lock does, and why a holder must check its lease or fence.
 */
export type OverlapCause = "granted-while-lease-alive" | "lease-expired-under-holder";

export interface LockOverlap {
  lock: string;
  cause: OverlapCause;
  first: SectionEvidence;
  second: SectionEvidence;
  fromS: number;
  toS: number;
  overlapMs: number;
  /** Faults in place while the two sections ran (inPlace: during the overlap itself). */
  faults: Array<{ fault: string; targets: string[]; fromS: number; toS: number; inPlace: boolean; details: Record<string, unknown> }>;
}

type SectionEvidence = Omit<CriticalSection, "from" | "to" | "leaseLostAt" | "leaseValidUntil"> & {
  fromS: number;
  toS: number;
  leaseLostS?: number;
  leaseValidUntilS?: number;
};

const seconds = (ns: number): number => Math.round(ns / 1e6) / 1e3;

export const lockChecker: Checker = {
  name: "lock",
  check(run): CheckResult {
    const sections = criticalSections(pairOperations(run.history));
    if (sections.length === 0) return { verdict: "unknown", summary: "no acquire succeeded: no critical section to judge", anomalies: [] };
    const overlaps = findOverlaps(sections, run.faults);
    const locks = new Set(sections.map((section) => section.lock));
    const evidence = {
      sections: sections.length,
      locks: locks.size,
      holders: new Set(sections.map((section) => section.process)).size,
      neverReleased: sections.filter((section) => section.end !== "release invoked").length,
      uncertainReleases: sections.filter((section) => section.release === "info" || section.release === "no completion").length,
      leasesLost: sections.filter((section) => section.leaseLost !== undefined).length,
      paused: sections.filter((section) => section.pausedMs !== undefined).length,
      overlapCount: overlaps.length,
      grantedWhileLeaseAlive: overlaps.filter((overlap) => overlap.cause === "granted-while-lease-alive").length,
      leaseExpiredUnderHolder: overlaps.filter((overlap) => overlap.cause === "lease-expired-under-holder").length,
      overlaps: overlaps.slice(0, maxListed),
    };
    const scope = `${sections.length} critical sections on ${locks.size} locks by ${evidence.holders} holders (${evidence.leasesLost} leases lost, ${evidence.uncertainReleases} releases uncertain)`;
    if (overlaps.length > 0) {
      const involved = new Set(overlaps.flatMap((overlap) => [`${overlap.first.acquireIndex}`, `${overlap.second.acquireIndex}`])).size;
      const causes = [
        evidence.grantedWhileLeaseAlive > 0 ? `${evidence.grantedWhileLeaseAlive} granted while the earlier holder's lease was alive (etcd's fault)` : "",
        evidence.leaseExpiredUnderHolder > 0
          ? `${evidence.leaseExpiredUnderHolder} after the earlier holder's lease expired, or may have, while it went on (the client's: a lease-based lock is only as safe as its lease)`
          : "",
      ].filter(Boolean);
      const summary = `${overlaps.length} overlaps between ${involved} critical sections of different holders: ${causes.join("; ")}; first: ${describeOverlap(overlaps[0]!)}; ${scope}`;
      return { verdict: "invalid", summary, anomalies: overlaps.map(overlapAnomaly), ...evidence };
    }
    return { verdict: "valid", summary: `no two holders held a lock at once; ${scope}`, anomalies: [], ...evidence };
  },
};

/**
 * Each holder's critical sections, from the acquires and releases of its process: from the acquire's
 * completion (when it learns it holds the lock) to the release's invocation (when it stops acting on it),
 * whatever the release's outcome. A holder that never released is taken to have crashed at an unknown
 * moment, and the lock is designed to pass on when its lease expires: its section lasts until the lease
 * could have expired at the earliest (the acquire's invocation plus the TTL it asked for). Nothing is
 * excused because a lease was lost: a holder paused or cut off past its TTL cannot know another took
 * the lock, and both act at once.
 */
export function criticalSections(operations: Operation[]): CriticalSection[] {
  const sections: CriticalSection[] = [];
  const open = new Map<number, { acquire: Operation; section: CriticalSection }>();
  for (const op of operations) {
    if (op.f === "acquire" && op.type === "ok") {
      const acquired = (op.complete?.value ?? {}) as Partial<{ holder: string; lease: string }>;
      const ttl = (op.invoke.value as Partial<AcquireValue> | undefined)?.ttl ?? defaultLockTtlSeconds;
      const section: CriticalSection = {
        lock: op.key ?? "?",
        holder: acquired.holder ?? `p${op.process}`,
        process: op.process,
        ...(op.node !== undefined ? { member: op.node } : {}),
        ...(acquired.lease !== undefined ? { lease: acquired.lease } : {}),
        from: op.complete!.time,
        to: op.invoke.time + ttl * 1e9,
        end: "lease could have expired (never released)",
        acquireIndex: op.invoke.index,
      };
      open.set(op.process, { acquire: op, section });
      sections.push(section);
      continue;
    }
    if (op.f !== "release") continue;
    const held = open.get(op.process);
    if (!held) continue;
    open.delete(op.process);
    const section = held.section;
    const released = (op.type === "ok" ? op.complete?.value : undefined) as Partial<ReleaseValue> | undefined;
    Object.assign(section, {
      to: op.invoke.time,
      end: "release invoked",
      releaseIndex: op.invoke.index,
      release: op.complete ? op.type : "no completion",
      ...(released?.leaseLost !== undefined ? { leaseLost: released.leaseLost } : {}),
      ...(released?.leaseLostAt !== undefined ? { leaseLostAt: released.leaseLostAt } : {}),
      ...(released?.pausedMs !== undefined ? { pausedMs: released.pausedMs } : {}),
      ...(released?.leaseValidUntil !== undefined ? { leaseValidUntil: released.leaseValidUntil } : {}),
    });
  }
  return sections;
}

function findOverlaps(sections: CriticalSection[], faults: FaultRecord[]): LockOverlap[] {
  const overlaps: LockOverlap[] = [];
  const byLock = Map.groupBy(sections, (section) => section.lock);
  for (const [lock, held] of byLock) {
    const ordered = [...held].sort((a, b) => a.from - b.from);
    ordered.forEach((first, index) => {
      for (const second of ordered.slice(index + 1)) {
        if (second.from >= first.to) break;
        if (second.process === first.process) continue;
        const from = second.from;
        const to = Math.min(first.to, second.to);
        const alive = first.leaseValidUntil !== undefined && first.leaseValidUntil >= second.from;
        overlaps.push({
          lock,
          cause: alive ? "granted-while-lease-alive" : "lease-expired-under-holder",
          first: evidenceOf(first),
          second: evidenceOf(second),
          fromS: seconds(from),
          toS: seconds(to),
          overlapMs: Math.round((to - from) / 1e6),
          faults: faults
            .filter((fault) => fault.start < Math.max(first.to, second.to) && fault.end > first.from)
            .map((fault) => ({ fault: fault.fault, targets: fault.targets, fromS: seconds(fault.start), toS: seconds(fault.end), inPlace: fault.start < to && fault.end > from, details: fault.details })),
        });
      }
    });
  }
  return overlaps.sort((a, b) => a.fromS - b.fromS);
}

function overlapAnomaly(overlap: LockOverlap): Anomaly {
  const releases = [overlap.first.releaseIndex, overlap.second.releaseIndex].filter((index): index is number => index !== undefined);
  return {
    kind: overlap.cause === "granted-while-lease-alive" ? "lock-granted-while-lease-alive" : "lock-held-past-lease",
    explanation: describeOverlap(overlap),
    ops: [overlap.first.acquireIndex, overlap.second.acquireIndex],
    ...(releases.length > 0 ? { context: [{ label: "their releases", ops: releases }] } : {}),
    members: [...new Set([overlap.first.member, overlap.second.member].filter((member): member is string => member !== undefined))],
    ...span(overlap.fromS * 1e9, overlap.toS * 1e9),
  };
}

function evidenceOf(section: CriticalSection): SectionEvidence {
  const { from, to, leaseLostAt, leaseValidUntil, ...rest } = section;
  return {
    ...rest,
    fromS: seconds(from),
    toS: seconds(to),
    ...(leaseLostAt !== undefined ? { leaseLostS: seconds(leaseLostAt) } : {}),
    ...(leaseValidUntil !== undefined ? { leaseValidUntilS: seconds(leaseValidUntil) } : {}),
  };
}

function describeOverlap(overlap: LockOverlap): string {
  const holder = (section: SectionEvidence): string => {
    const notes = [
      section.end === "release invoked" ? undefined : "never released",
      section.pausedMs !== undefined ? `paused ${(section.pausedMs / 1000).toFixed(1)}s` : undefined,
      section.leaseLost !== undefined ? `lease lost${section.leaseLostS !== undefined ? ` at ${section.leaseLostS.toFixed(1)}s` : ""}` : undefined,
    ].filter((note) => note !== undefined);
    return `${section.holder} (${section.member ?? "?"}, ${section.fromS.toFixed(1)}-${section.toS.toFixed(1)}s${notes.length ? `, ${notes.join(", ")}` : ""})`;
  };
  const inPlace = overlap.faults.filter((fault) => fault.inPlace);
  const around = inPlace.length > 0 ? inPlace : overlap.faults;
  const faults = around.length === 0 ? "with no fault in place" : `${inPlace.length > 0 ? "during" : "after"} ${around.map((fault) => `${fault.fault} of ${fault.targets.join(",")}`).join(", ")}`;
  return `${overlap.lock} held by ${holder(overlap.first)} and ${holder(overlap.second)} at once for ${overlap.overlapMs}ms from ${overlap.fromS.toFixed(1)}s, ${faults}`;
}
