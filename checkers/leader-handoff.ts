// The leader-handoff checker: removing a leader as it is against removing it after move-leader, their leaderless gaps and service gaps side by side (the runbook's claim: the hand-off spares the election).
import type { CheckResult } from "../record/check-result.ts";
import type { FaultRecord } from "../record/fault.ts";
import { electionsOf } from "./availability.ts";
import type { Checker } from "./checker.ts";
import { pairOperations, type Operation } from "./operations.ts";

/** One sampling round (200 ms) and a little: gaps this close are the same gap. */
const sameGapS = 0.25;

export interface LeaderRemoval {
  step: number;
  member: string;
  /** Leadership was moved to `to` before the removal (params.handoff), in `moveMs`. */
  handoff: boolean;
  to?: string;
  moveMs?: number;
  /** The removal's window on the run clock: from the fault's start to the start of its heal. */
  fromS: number;
  toS: number;
  /** Seconds inside the window when no quorum of members named one leader (status rounds every 200 ms). */
  leaderlessS: number;
  /** The longest stretch inside the window with no client operation acknowledged. */
  longestServiceGapS: number;
}

const seconds = (ns: number): number => Math.round(ns / 1e6) / 1e3;

export const leaderHandoffChecker: Checker = {
  name: "leader-handoff",
  check(run): CheckResult {
    const spells = electionsOf(run.statuses).leaderlessSpells;
    const acknowledged = pairOperations(run.history).filter((op) => op.type === "ok" && op.complete !== undefined);
    const removals = run.faults.filter(removedItsLeader).map((fault) => removalOf(fault, spells, acknowledged));
    const plain = removals.filter((removal) => !removal.handoff);
    const handedOff = removals.filter((removal) => removal.handoff);
    const evidence = { removals };
    if (plain.length === 0 || handedOff.length === 0) {
      return { verdict: "unknown", summary: `nothing to compare: ${plain.length} removals of the leader as it was, ${handedOff.length} after move-leader`, anomalies: [], ...evidence };
    }
    const worst = (list: LeaderRemoval[], key: "leaderlessS" | "longestServiceGapS"): number => Math.max(...list.map((removal) => removal[key]));
    const figures = (list: LeaderRemoval[]): string => list.map((removal) => `${removal.member} at ${removal.fromS.toFixed(1)}s: leaderless ${removal.leaderlessS.toFixed(2)}s, longest without an acknowledged operation ${removal.longestServiceGapS.toFixed(2)}s`).join("; ");
    const side = `removing the leader as it was: ${figures(plain)}; after move-leader: ${figures(handedOff)}`;
    // The service gap is what clients live through; leaderless time is sampled, and members keep naming a removed leader until they elect anew.
    const worse = (key: "leaderlessS" | "longestServiceGapS") => worst(handedOff, key) > worst(plain, key) + sameGapS;
    const better = (key: "leaderlessS" | "longestServiceGapS") => worst(handedOff, key) + sameGapS <= worst(plain, key);
    if (worse("leaderlessS") || worse("longestServiceGapS")) {
      return {
        verdict: "invalid",
        summary: `the hand-off cost more than removing the leader as it was; ${side}`,
        anomalies: handedOff.map((removal) => ({
          kind: "handoff-not-shorter",
          explanation: `after move-leader to ${removal.to ?? "?"}, removing ${removal.member} left no leader for ${removal.leaderlessS.toFixed(2)}s and no operation acknowledged for ${removal.longestServiceGapS.toFixed(2)}s`,
          ops: [],
          members: [removal.member],
          from: removal.fromS * 1e9,
          to: removal.toS * 1e9,
        })),
        ...evidence,
      };
    }
    const spared = better("leaderlessS") || better("longestServiceGapS");
    return { verdict: "valid", summary: `${spared ? "move-leader first spared the election" : "both gaps within one sampling round"}; ${side}`, anomalies: [], ...evidence };
  },
};

function removedItsLeader(fault: FaultRecord): boolean {
  const leaderBefore = fault.details["leaderBefore"];
  return fault.fault === "member-remove" && typeof leaderBefore === "string" && fault.targets.includes(leaderBefore);
}

function removalOf(fault: FaultRecord, spells: Array<{ fromS: number; toS: number }>, acknowledged: Operation[]): LeaderRemoval {
  const moves = (fault.details["handoffs"] ?? []) as Array<{ to: string; elapsedMs: number }>;
  const fromS = seconds(fault.start);
  const toS = seconds(fault.healStart);
  const leaderlessS = spells.reduce((sum, spell) => sum + Math.max(0, Math.min(spell.toS, toS) - Math.max(spell.fromS, fromS)), 0);
  const times = acknowledged.map((op) => seconds(op.complete!.time)).filter((time) => time >= fromS && time <= toS).sort((a, b) => a - b);
  const edges = [fromS, ...times, toS];
  const longestServiceGapS = Math.max(...edges.slice(1).map((time, index) => time - edges[index]!));
  return {
    step: fault.step,
    member: fault.details["leaderBefore"] as string,
    handoff: moves.length > 0,
    ...(moves[0] ? { to: moves[0].to, moveMs: moves[0].elapsedMs } : {}),
    fromS,
    toS,
    leaderlessS: Math.round(leaderlessS * 1000) / 1000,
    longestServiceGapS: Math.round(longestServiceGapS * 1000) / 1000,
  };
}
