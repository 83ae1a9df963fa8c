// Every workload `--workload` can name.
import { usageError } from "../harness/errors.ts";
import { appendWorkload } from "./append.ts";
import { Compactor } from "./compactor.ts";
import { kubernetesWorkload } from "./kubernetes.ts";
import { lockWorkload } from "./lock.ts";
import { registerWorkload } from "./register.ts";
import { watchWorkload } from "./watch.ts";
import { wrWorkload } from "./wr.ts";
import type { Workload, WorkloadContext, WorkloadDefinition } from "./workload.ts";

export const workloads: WorkloadDefinition[] = [registerWorkload, appendWorkload, watchWorkload, lockWorkload, kubernetesWorkload, wrWorkload];
export const workloadNames = workloads.map((workload) => workload.name);

export function workloadNamed(name: string): WorkloadDefinition {
  const workload = workloads.find((candidate) => candidate.name === name);
  if (!workload) throw usageError(`unknown workload "${name}"; known workloads: ${workloadNames.join(", ")}`);
  return workload;
}

/** The workload a definition makes for a context, with compaction traffic beside it when the settings ask for it (compactEveryMs). */
export function createWorkload(definition: WorkloadDefinition, context: WorkloadContext): Workload {
  const workload = definition.create(context);
  const everyMs = context.settings.compactEveryMs;
  if (!everyMs) return workload;
  const compactor = new Compactor(context, everyMs);
  return {
    start() {
      workload.start();
      compactor.start();
    },
    async stop() {
      await compactor.stop();
      await workload.stop();
    },
  };
}
