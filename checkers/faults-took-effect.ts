// A fault that did not bite proves nothing: each must have taken effect, or the run is unknown.
import type { FaultRecord } from "../harness/run/fault-schedule.ts";
import type { StatusSample } from "../harness/run/status-sampler.ts";
import type { Checker } from "./checker.ts";
import { partitionWindows, seconds } from "./partition-windows.ts";

export const faultsTookEffectChecker: Checker = {
  name: "faults-took-effect",
  check(run) {
    if (run.faults.length === 0) return { verdict: "valid", summary: "no faults were scheduled" };
    const missed = run.faults.filter((fault) => fault.tookEffect !== true);
    const faults = run.faults.map((fault) => ({ fault: fault.fault, targets: fault.targets, tookEffect: fault.tookEffect, evidence: fault.evidence }));
    if (missed.length > 0) {
      const names = missed.map((fault) => `${fault.fault} of ${fault.targets.join(",")}: ${fault.evidence ?? "not assessed"}`);
      return { verdict: "unknown", summary: `${missed.length} fault(s) did not take effect (${names.join("; ")})`, faults };
    }
    return { verdict: "valid", summary: `all ${run.faults.length} faults took effect`, faults };
  },
};

/**
 * Judges from the status samples whether each partition bit: every member of the minority reported
 * no leader at some point while cut off, and the majority meanwhile agreed on a leader of its own.
 */
export function assessPartitions(faults: FaultRecord[], samples: StatusSample[], members: string[]): void {
  for (const window of partitionWindows(faults, members)) {
    const inside = samples.filter((sample) => sample.time >= window.from && sample.time <= window.to);
    const lostLeader = window.minority.map((member) => {
      const first = inside.find((sample) => sample.member === member && sample.leader === null && sample.error === undefined);
      return { member, afterS: first ? seconds(first.time - window.from) : undefined };
    });
    const majorityLeaders = new Set(
      inside.filter((sample) => window.majority.includes(sample.member) && sample.leader).map((sample) => sample.leader),
    );
    const majorityLed = window.majority.length === 0 || [...majorityLeaders].some((leader) => window.majority.includes(leader!));
    const silent = lostLeader.filter((entry) => entry.afterS === undefined).map((entry) => entry.member);
    window.fault.tookEffect = silent.length === 0 && majorityLed;
    window.fault.evidence = [
      ...lostLeader.filter((entry) => entry.afterS !== undefined).map((entry) => `${entry.member} lost its leader ${entry.afterS!.toFixed(1)}s after the cut`),
      ...(silent.length ? [`${silent.join(",")} kept a leader throughout`] : []),
      window.majority.length ? (majorityLed ? `${window.majority.join(",")} were led by ${[...majorityLeaders].join(",")}` : `${window.majority.join(",")} had no leader of their own`) : "",
    ]
      .filter(Boolean)
      .join("; ");
  }
}
