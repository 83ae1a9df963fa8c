// The stretches of a run during which a partition was fully in place, with each side's members.
import type { FaultRecord } from "../record/fault.ts";

export interface PartitionWindow {
  fault: FaultRecord;
  /** Run-clock nanoseconds: every crossing link blackholed from `from` until healing began at `to`. */
  from: number;
  to: number;
  /** Members on sides too small for a quorum. */
  minority: string[];
  /** Members on the side holding a quorum, if any side does. */
  majority: string[];
}

/** Windows of the faults that held a partition in place for their whole duration ("partition"). */
export function partitionWindows(faults: FaultRecord[], members: string[]): PartitionWindow[] {
  return faults.filter((fault) => fault.fault === "partition").map((fault) => groupWindow(fault, members));
}

/** The sides of a fault that split the members into groups (details.groups), over its whole window. */
export function groupWindow(fault: FaultRecord, members: string[]): PartitionWindow {
  const quorum = Math.floor(members.length / 2) + 1;
  const groups = (fault.details["groups"] as string[][] | undefined) ?? [fault.targets, members.filter((m) => !fault.targets.includes(m))];
  return {
    fault,
    from: fault.effective,
    to: fault.healStart,
    minority: groups.filter((group) => group.length < quorum).flat(),
    majority: groups.find((group) => group.length >= quorum) ?? [],
  };
}

export const seconds = (ns: number): number => ns / 1e9;
