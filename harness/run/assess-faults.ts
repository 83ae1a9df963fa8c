// After a run: each fault that could not judge its own effect while it ran is judged from the status samples.
import { nemesisNamed } from "../../nemesis/registry.ts";
import type { FaultRecord } from "./fault-schedule.ts";
import type { StatusSample } from "./status-sampler.ts";

export function assessFaults(faults: FaultRecord[], samples: StatusSample[], members: string[]): void {
  for (const fault of faults) {
    if (fault.tookEffect !== undefined) continue;
    const effect = nemesisNamed(fault.fault).assess?.(fault, samples, members);
    if (effect) {
      fault.tookEffect = effect.tookEffect;
      fault.evidence = effect.evidence;
    }
  }
}
