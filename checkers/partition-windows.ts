// The stretches of a run during which a partition was fully in place, with each side's members.
import type { FaultRecord } from "../harness/run/fault-schedule.ts";

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

export function partitionWindows(faults: FaultRecord[], members: string[]): PartitionWindow[] {
  const quorum = Math.floor(members.length / 2) + 1;
  return faults
    .filter((fault) => fault.fault === "partition")
    .map((fault) => {
      const groups = (fault.details["groups"] as string[][] | undefined) ?? [fault.targets, members.filter((m) => !fault.targets.includes(m))];
      return {
        fault,
        from: fault.effective,
        to: fault.healStart,
        minority: groups.filter((group) => group.length < quorum).flat(),
        majority: groups.find((group) => group.length >= quorum) ?? [],
      };
    });
}

export const seconds = (ns: number): number => ns / 1e9;
