// A fault that did not bite proves nothing, nor does a run whose cluster never recovered: either makes it unknown.
import type { Checker } from "./checker.ts";
import { judgeFault } from "./fault-effects.ts";

export const faultsTookEffectChecker: Checker = {
  name: "faults-took-effect",
  check(run) {
    if (run.faults.length === 0) return { verdict: "valid", summary: "no faults were scheduled", anomalies: [] };
    const faults = run.faults.map((fault) => {
      const effect = judgeFault(fault, run.statuses);
      return {
        step: fault.step,
        fault: fault.fault,
        targets: fault.targets,
        tookEffect: effect?.tookEffect,
        evidence: effect?.evidence,
        healed: fault.healed,
        healEvidence: fault.healEvidence,
      };
    });
    const missed = faults.filter((fault) => fault.tookEffect !== true);
    const unhealed = faults.filter((fault) => fault.healed === false);
    const problems = [
      ...missed.map((fault) => `${fault.fault} of ${fault.targets.join(",")} did not take effect (${fault.evidence ?? "nothing recorded shows whether it did"})`),
      ...unhealed.map((fault) => `after ${fault.fault} of ${fault.targets.join(",")} the cluster did not recover (${fault.healEvidence})`),
    ];
    if (problems.length > 0) return { verdict: "unknown", summary: problems.join("; "), anomalies: [], faults };
    return { verdict: "valid", summary: `all ${faults.length} faults took effect and the cluster recovered after each`, anomalies: [], faults };
  },
};
