// A fault that did not bite proves nothing, nor does a run whose cluster never recovered: either makes it unknown.
import type { Checker } from "./checker.ts";

export const faultsTookEffectChecker: Checker = {
  name: "faults-took-effect",
  check(run) {
    if (run.faults.length === 0) return { verdict: "valid", summary: "no faults were scheduled" };
    const faults = run.faults.map((fault) => ({
      fault: fault.fault,
      targets: fault.targets,
      tookEffect: fault.tookEffect,
      evidence: fault.evidence,
      healed: fault.healed,
      healEvidence: fault.healEvidence,
    }));
    const missed = run.faults.filter((fault) => fault.tookEffect !== true);
    const unhealed = run.faults.filter((fault) => fault.healed === false);
    const problems = [
      ...missed.map((fault) => `${fault.fault} of ${fault.targets.join(",")} did not take effect (${fault.evidence ?? "not assessed"})`),
      ...unhealed.map((fault) => `after ${fault.fault} of ${fault.targets.join(",")} the cluster did not recover (${fault.healEvidence})`),
    ];
    if (problems.length > 0) return { verdict: "unknown", summary: problems.join("; "), faults };
    return { verdict: "valid", summary: `all ${run.faults.length} faults took effect and the cluster recovered after each`, faults };
  },
};
