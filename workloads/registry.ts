// Every workload `--workload` can name.
import { usageError } from "../harness/errors.ts";
import { appendWorkload } from "./append.ts";
import { kubernetesWorkload } from "./kubernetes.ts";
import { lockWorkload } from "./lock.ts";
import { registerWorkload } from "./register.ts";
import { watchWorkload } from "./watch.ts";
import type { WorkloadDefinition } from "./workload.ts";

export const workloads: WorkloadDefinition[] = [registerWorkload, appendWorkload, watchWorkload, lockWorkload, kubernetesWorkload];
export const workloadNames = workloads.map((workload) => workload.name);

export function workloadNamed(name: string): WorkloadDefinition {
  const workload = workloads.find((candidate) => candidate.name === name);
  if (!workload) throw usageError(`unknown workload "${name}"; known workloads: ${workloadNames.join(", ")}`);
  return workload;
}
