// Whether a fault bit, judged from what it recorded (its signs) and the members' status samples over its window.
import type { EffectSign, FaultRecord } from "../record/fault.ts";
import type { StatusSample } from "../record/status.ts";
import { seconds } from "./partition-windows.ts";

export interface FaultEffect {
  tookEffect: boolean;
  /** What showed it, or what was missing, in one line. */
  evidence: string;
}

/** A fault bit when every sign it recorded holds; a fault that recorded none was not judged. */
export function judgeFault(fault: FaultRecord, statuses: StatusSample[]): FaultEffect | undefined {
  if (fault.signs.length === 0) return undefined;
  const judged = fault.signs.map((sign) => judgeSign(sign, fault, statuses));
  return { tookEffect: judged.every((effect) => effect.tookEffect), evidence: judged.map((effect) => effect.evidence).filter(Boolean).join("; ") };
}

export function judgeSign(sign: EffectSign, fault: FaultRecord, statuses: StatusSample[]): FaultEffect {
  if (sign.kind === "measured") return { tookEffect: sign.held, evidence: sign.what };
  if (sign.kind === "leader-lost") return leaderLost(fault, statuses, sign.members, sign.majority, sign.required);
  return disturbed(fault, statuses);
}

/**
 * The cut bit when every member of `minority` (or, with "some", at least one) reported no leader at some
 * point while cut off, and the majority meanwhile agreed on a leader of its own.
 */
export function leaderLost(fault: FaultRecord, samples: StatusSample[], minority: string[], majority: string[], required: "every" | "some"): FaultEffect {
  const inside = samples.filter((sample) => sample.time >= fault.effective && sample.time <= fault.healStart);
  const lostLeader = minority.map((member) => {
    const first = inside.find((sample) => sample.member === member && sample.leader === null && sample.error === undefined);
    return { member, afterS: first ? seconds(first.time - fault.effective) : undefined };
  });
  const majorityLeaders = new Set(inside.filter((sample) => majority.includes(sample.member) && sample.leader).map((sample) => sample.leader));
  const majorityLed = majority.length === 0 || [...majorityLeaders].some((leader) => majority.includes(leader!));
  const silent = lostLeader.filter((entry) => entry.afterS === undefined).map((entry) => entry.member);
  // The majority followed a leader the cut left in the minority, then elected one of its own: the cut bit,
  // even when the minority's samples never caught it leaderless (a short cut, a leader slow to step down).
  const cutOffLeaders = [...majorityLeaders].filter((leader) => minority.includes(leader!));
  const ownLeaders = [...majorityLeaders].filter((leader) => majority.includes(leader!));
  const leaderReplaced = cutOffLeaders.length > 0 && ownLeaders.length > 0;
  const evidence = [
    ...lostLeader.filter((entry) => entry.afterS !== undefined).map((entry) => `${entry.member} lost its leader ${entry.afterS!.toFixed(1)}s after the cut`),
    ...(silent.length ? [`${silent.join(",")} kept a leader throughout`] : []),
    majority.length ? (majorityLed ? `${majority.join(",")} were led by ${[...majorityLeaders].join(",")}` : `${majority.join(",")} had no leader of their own`) : "",
    required === "some" && leaderReplaced ? `the majority replaced cut-off leader ${cutOffLeaders.join(",")} with ${ownLeaders.join(",")}` : "",
  ];
  const minorityBit = required === "every" ? silent.length === 0 : silent.length < lostLeader.length || leaderReplaced;
  return { tookEffect: minorityBit && majorityLed, evidence: evidence.filter(Boolean).join("; ") };
}

/** A shape where everyone still sees a majority bit when some member lost its leader or the term moved. */
export function disturbed(fault: FaultRecord, samples: StatusSample[]): FaultEffect {
  const inside = samples.filter((sample) => sample.time >= fault.effective && sample.time <= fault.healStart && sample.error === undefined);
  const before = samples.filter((sample) => sample.time < fault.start && sample.term !== undefined).at(-1)?.term;
  const leaderless = [...new Set(inside.filter((sample) => sample.leader === null).map((sample) => sample.member))];
  const terms = inside.map((sample) => sample.term ?? 0);
  const termMoved = before !== undefined && terms.some((term) => term > before);
  if (leaderless.length === 0 && !termMoved) return { tookEffect: false, evidence: "every member kept its leader and the term did not move" };
  return {
    tookEffect: true,
    evidence: [leaderless.length ? `${leaderless.join(",")} lost their leader` : "", termMoved ? `the term moved from ${before} to ${Math.max(...terms)}` : ""]
      .filter(Boolean)
      .join("; "),
  };
}
