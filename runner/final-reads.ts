// The final reads: after the last heal, a linearizable read of every key the workload touched through every member, recorded as history.
//
// Each member's reads are made by a client process of their own, in the workload's encoding (register
// `read`, or the etcd KV model's `get`), so the linearizability checker places them after everything the
// workload did and the durability checker compares them with the acknowledged writes. A read whose
// outcome is unknown ends its process, as in every workload; the key is read again by a fresh one.
import type { Etcd3 } from "etcd3";
import type { Cluster } from "../harness/cluster/backend.ts";
import { deadline, signIn } from "../harness/clients/etcd-client.ts";
import { classifyFailure } from "../harness/clients/outcome.ts";
import type { ProcessIds } from "../harness/history/process-ids.ts";
import type { HistoryRecorder } from "../harness/history/recorder.ts";
import type { HistoryEntry } from "../record/history/entry.ts";
import type { FinalReadsProbe } from "../record/probes.ts";
import type { WorkloadSettings } from "../record/settings.ts";
import { getKey } from "../workloads/etcd-ops.ts";
import { workloadNamed } from "../workloads/registry.ts";

/** Keys the harness itself writes (the quota fill's) are not the workload's. */
const harnessPrefix = "__harness/";
const readDeadlineMs = 5000;
const attemptsPerKey = 3;

export interface FinalReadsRequest {
  cluster: Cluster;
  recorder: HistoryRecorder;
  processIds: ProcessIds;
  workload: string;
  settings: WorkloadSettings;
  /** The history so far, for the keys the workload touched. */
  history: HistoryEntry[];
}

type Encoding = "register" | "etcd";

export async function readFinalValues(request: FinalReadsRequest): Promise<FinalReadsProbe> {
  const { cluster, recorder, processIds, workload, settings } = request;
  const members = cluster.names;
  const from = recorder.clock.now();
  const base = { workload, from, keys: [] as string[], members, processes: [] as number[] };
  const encoding = encodingOf(workload, settings);
  if (!encoding) {
    return { ...base, to: from, skipped: `the ${workload} workload keeps no data meant to outlast it (its keys live under leases)` };
  }
  const keys = touchedKeys(request.history);
  const processes: number[] = [];
  await Promise.all(members.map((member) => readThrough(member, keys, encoding, { cluster, recorder, processIds, processes })));
  return { ...base, keys, processes: processes.sort((a, b) => a - b), to: recorder.clock.now() };
}

/** The final reads' encoding: the one the workload's linearizability checker reads; none for a workload without one. */
export function encodingOf(workload: string, settings: WorkloadSettings): Encoding | undefined {
  const checkers = workloadNamed(workload).checkers(settings).map((spec) => spec.name);
  if (checkers.includes("linearizability")) return "register";
  if (checkers.some((name) => name === "linearizability-etcd" || name === "elle-append" || name === "elle-wr")) return "etcd";
  return undefined;
}

/** Every key a client operation named, itself or in a txn, but watched prefixes and the harness's own keys. */
export function touchedKeys(history: HistoryEntry[]): string[] {
  const keys = new Set<string>();
  for (const entry of history) {
    if (entry.process === "nemesis" || entry.type !== "invoke" || entry.f === "watch") continue;
    if (entry.key !== undefined) keys.add(entry.key);
    if (entry.f === "txn") {
      const spec = entry.value as { compare?: Array<{ key: string }>; success?: Array<{ key: string }>; failure?: Array<{ key: string }> } | undefined;
      for (const part of [spec?.compare, spec?.success, spec?.failure]) for (const item of part ?? []) keys.add(item.key);
    }
  }
  return [...keys].filter((key) => !key.startsWith(harnessPrefix)).sort();
}

interface ReadContext {
  cluster: Cluster;
  recorder: HistoryRecorder;
  processIds: ProcessIds;
  processes: number[];
}

async function readThrough(member: string, keys: string[], encoding: Encoding, context: ReadContext): Promise<void> {
  const { cluster, recorder, processIds, processes } = context;
  let process = processIds.next();
  processes.push(process);
  let client: Etcd3 = cluster.client(member);
  await signIn(client, readDeadlineMs * 5);
  try {
    for (const key of keys) {
      for (let attempt = 1; attempt <= attemptsPerKey; attempt++) {
        const base = { process, f: encoding === "register" ? "read" : "get", key, node: member };
        recorder.record({ ...base, type: "invoke", ...(encoding === "etcd" ? { value: null } : {}) });
        try {
          const { result, revision } = await getKey(client, key, false, deadline(readDeadlineMs));
          const value = encoding === "register" ? (result === null ? null : Number(result.value)) : result;
          recorder.record({ ...base, type: "ok", value, revision });
          break;
        } catch (error) {
          const failure = classifyFailure(error);
          recorder.record({ ...base, type: failure.type, error: failure.error });
          if (failure.type === "info") {
            client.close();
            process = processIds.next();
            processes.push(process);
            client = cluster.client(member);
            await signIn(client, readDeadlineMs * 5);
          }
        }
      }
    }
  } finally {
    client.close();
  }
}
