// snapshot-save: `etcdctl snapshot save` from the target under load (etcd's maintenance snapshot stream), checked with `etcdutl snapshot status` and kept for a later restore.
import type { Etcd3 } from "etcd3";
import type { Cluster } from "../harness/cluster/backend.ts";
import { doneHandle, measured, type FaultContext, type Nemesis } from "./nemesis.ts";
import { Runbook } from "./runbook.ts";
import { keepSnapshot } from "./saved-snapshots.ts";

const saveBudgetMs = 30_000;
const snapshotPath = "/backup/snapshot.db";

export const snapshotSaveNemesis: Nemesis = {
  name: "snapshot-save",
  summary: "etcdctl snapshot save from the target (the whole backend, streamed), checked by etcdutl snapshot status and kept for disaster-snapshot-restore",
  instant: true,
  needsEtcdutl: true,
  unavailableReason: (_cluster, targets) => (targets.length !== 1 ? "save a snapshot from one member" : undefined),
  async inject(context, targets) {
    const { cluster } = context;
    const name = targets[0]!;
    const runbook = new Runbook(runClock(context));
    const saved = await runbook.step(`snapshot save from ${name}`, `etcdctl --endpoints=${name} snapshot save snapshot.db`, () => saveSnapshot(cluster.member(name).admin));
    const status = await runbook.step("snapshot status", "etcdutl snapshot status snapshot.db -w json", () => snapshotStatus(cluster, saved.content));
    const savedAt = runbook.steps[0]!.endedAt;
    keepSnapshot(cluster, { member: name, revision: status.revision, savedAt, content: saved.content });
    const header = saved.revision === undefined ? "the stream carried no header" : `the stream's header said revision ${saved.revision}`;
    return doneHandle(
      { member: name, revision: status.revision, bytes: saved.content.length, keys: status.totalKey, hash: status.hash, savedAt, steps: runbook.steps },
      [measured(saved.revision === undefined || status.revision === saved.revision, `etcdutl snapshot status: revision ${status.revision}, ${status.totalKey} keys, ${saved.content.length} bytes; ${header}`)],
    );
  },
};

/** The run clock of the history when the fault has one, else the process's monotonic clock in nanoseconds. */
export function runClock(context: FaultContext): () => number {
  const clock = context.history?.recorder.clock;
  return clock ? () => clock.now() : () => Math.round(performance.now() * 1e6);
}

/** The whole backend as etcd streams it; the first header's revision is the snapshot's. */
async function saveSnapshot(admin: Etcd3): Promise<{ revision?: number; content: Buffer }> {
  const stream = await admin.maintenance.snapshot();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let revision: number | undefined;
    const timer = setTimeout(() => reject(new Error(`the snapshot stream did not end within ${saveBudgetMs} ms`)), saveBudgetMs);
    stream.on("data", (response) => {
      // Some releases send the header on a later message than the first.
      if (revision === undefined && response.header) revision = Number(response.header.revision);
      if (response.blob) chunks.push(response.blob);
    });
    stream.on("error", (error) => (clearTimeout(timer), reject(error)));
    stream.on("end", () => {
      clearTimeout(timer);
      if (chunks.length === 0) reject(new Error("the snapshot stream ended with no data"));
      else resolve({ ...(revision !== undefined ? { revision } : {}), content: Buffer.concat(chunks) });
    });
  });
}

interface SnapshotStatus {
  hash: number;
  revision: number;
  totalKey: number;
  totalSize: number;
}

async function snapshotStatus(cluster: Cluster, content: Buffer): Promise<SnapshotStatus> {
  const run = await cluster.recovery.etcdutl(["snapshot", "status", snapshotPath, "-w", "json"], { inputs: [{ path: snapshotPath, content }] });
  const line = run.output.split("\n").find((candidate) => candidate.trim().startsWith("{"));
  if (run.exitCode !== 0 || !line) throw new Error(run.output.trim().split("\n").slice(-3).join(" ") || `exit ${run.exitCode}`);
  return JSON.parse(line) as SnapshotStatus;
}
