// The quorum-window checker: growing a one-member cluster leaves it without a quorum from `member add` until the new member starts (the write-ups' warning); nothing may be committed in that window, and its length is measured.
import type { CheckResult } from "../record/check-result.ts";
import type { FaultRecord } from "../record/fault.ts";
import { electionsOf } from "./availability.ts";
import type { Checker } from "./checker.ts";
import { isReadOnly } from "./op-kinds.ts";
import { pairOperations, type Operation } from "./operations.ts";

export interface QuorumWindow {
  step: number;
  /** The member added, and the voters before its MemberAdd (all of them running). */
  member: string;
  votersBefore: number;
  /** From etcd's MemberAdd to the new member's etcd starting, on the run clock. */
  fromS: number;
  toS: number;
  windowS: number;
  /** Writes invoked inside the window and acknowledged before it ended: none can be, without a quorum. */
  writesAcknowledged: number;
  writesInvoked: number;
  leaderlessS: number;
}

interface AddTimes {
  member: string;
  addedAfterMs: number;
  startedAfterMs: number;
}

const quorumOf = (voters: number): number => Math.floor(voters / 2) + 1;
const seconds = (ns: number): number => Math.round(ns / 1e6) / 1e3;

export const quorumWindowChecker: Checker = {
  name: "quorum-window",
  check(run): CheckResult {
    const spells = electionsOf(run.statuses).leaderlessSpells;
    const writes = pairOperations(run.history).filter((op) => !isReadOnly(op));
    const windows = run.faults.flatMap((fault) => windowsOf(fault)).map((window) => measure(window, writes, spells));
    const evidence = { windows };
    if (windows.length === 0) return { verdict: "unknown", summary: "no member was added to a cluster too small to keep its quorum through the add", anomalies: [], ...evidence };
    const figures = windows.map((window) => `adding ${window.member} to ${window.votersBefore} member${window.votersBefore === 1 ? "" : "s"}: no quorum for ${window.windowS.toFixed(1)}s (${window.fromS.toFixed(1)}-${window.toS.toFixed(1)}s), ${window.writesInvoked} writes invoked in it, ${window.writesAcknowledged} acknowledged in it, leaderless ${window.leaderlessS.toFixed(1)}s`).join("; ");
    const broken = windows.filter((window) => window.writesAcknowledged > 0);
    if (broken.length > 0) {
      return {
        verdict: "invalid",
        summary: `writes were acknowledged without a quorum: ${figures}`,
        anomalies: broken.map((window) => ({ kind: "committed-without-quorum", explanation: `${window.writesAcknowledged} writes invoked after ${window.member}'s MemberAdd were acknowledged before it started, when ${window.votersBefore} of ${window.votersBefore + 1} voters ran`, ops: [], members: [window.member], from: window.fromS * 1e9, to: window.toS * 1e9 })),
        ...evidence,
      };
    }
    return { verdict: "valid", summary: figures, anomalies: [], ...evidence };
  },
};

/** The adds of a membership change that left the voters running below a quorum until the new member started. */
function windowsOf(fault: FaultRecord): Array<{ step: number; member: string; votersBefore: number; from: number; to: number }> {
  const added = fault.details["added"];
  const from = fault.details["from"];
  if (!Array.isArray(added) || typeof from !== "number") return [];
  return (added as Array<Partial<AddTimes>>).flatMap((entry, index) => {
    const votersBefore = from + index;
    if (entry.member === undefined || entry.addedAfterMs === undefined || entry.startedAfterMs === undefined || votersBefore >= quorumOf(votersBefore + 1)) return [];
    return [{ step: fault.step, member: entry.member, votersBefore, from: fault.start + entry.addedAfterMs * 1e6, to: fault.start + entry.startedAfterMs * 1e6 }];
  });
}

function measure(window: { step: number; member: string; votersBefore: number; from: number; to: number }, writes: Operation[], spells: Array<{ fromS: number; toS: number }>): QuorumWindow {
  const invoked = writes.filter((op) => op.invoke.time > window.from && op.invoke.time < window.to);
  const acknowledged = invoked.filter((op) => op.type === "ok" && op.complete !== undefined && op.complete.time < window.to);
  const fromS = seconds(window.from);
  const toS = seconds(window.to);
  const leaderlessS = spells.reduce((sum, spell) => sum + Math.max(0, Math.min(spell.toS, toS) - Math.max(spell.fromS, fromS)), 0);
  return {
    step: window.step,
    member: window.member,
    votersBefore: window.votersBefore,
    fromS,
    toS,
    windowS: Math.round((toS - fromS) * 1000) / 1000,
    writesAcknowledged: acknowledged.length,
    writesInvoked: invoked.length,
    leaderlessS: Math.round(leaderlessS * 1000) / 1000,
  };
}
