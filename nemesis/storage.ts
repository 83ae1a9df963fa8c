// Storage faults on a stopped member, as Jepsen's: flip bits in its WAL, raft snapshot or database, or cut its WAL's tail; start it again and record what etcd did.
//
// etcd may refuse to start (and say why), start and be caught by its corruption checks (the CORRUPT
// alarm, or the initial check's refusal), or start and rejoin. Whatever it does, the member must not
// serve data that differs from the others' at the same revision: the fault compares HashKV at a common
// revision before it heals. A member that refused, raised an alarm or diverged is replaced (removed,
// wiped, added back) by the heal, so the run can go on.
import { deadline } from "../harness/clients/etcd-client.ts";
import { errorMessage } from "../harness/clients/outcome.ts";
import type { Cluster } from "../harness/cluster/backend.ts";
import { alarms, kvHash, memberStatus } from "../harness/cluster/member-status.ts";
import type { EffectSign } from "../record/fault.ts";
import { describeStorageOutcome, storageDamageSchema, type StorageOutcome } from "../record/storage-damage.ts";
import { exitReasonIn } from "./etcd-exit.ts";
import { faultHandle, measured, type FaultHandle, type Nemesis } from "./nemesis.ts";
import { fileToDamage, flipBits, truncateTail, type DamagedFile } from "./storage-damage.ts";

const exitBudgetMs = 10_000;
/** How long a restarted member has to rejoin, or to refuse. */
const startBudgetMs = 20_000;


interface Damage {
  file: string;
  bytes: number;
  /** What was done to it, for the record. */
  what: string;
  details: Record<string, unknown>;
}

const oneTarget = (cluster: Cluster, targets: string[]): string | undefined =>
  targets.length !== 1 ? "one target at a time" : !cluster.names.includes(targets[0]!) ? `${targets[0]} is not a member` : cluster.names.length < 3 ? "a damaged member is replaced by the others: 3 members or more" : undefined;

/** Flips bits in a stopped member's newest WAL segment, newest raft snapshot, or bbolt database. */
export const bitflipNemesis: Nemesis = {
  name: "bitflip",
  summary: "stop one member, flip bits (params.flips, 8) in its newest WAL segment, raft snapshot or database (params.file: wal, snap, db), start it; a member etcd refuses is replaced",
  unavailableReason(cluster, targets, params) {
    const file = params["file"] ?? "wal";
    if (file !== "wal" && file !== "snap" && file !== "db") return `params.file is wal, snap or db, got ${JSON.stringify(file)}`;
    const flips = params["flips"] ?? 8;
    if (typeof flips !== "number" || !Number.isInteger(flips) || flips < 1 || flips > 4096) return `params.flips is 1 to 4096, got ${JSON.stringify(flips)}`;
    return oneTarget(cluster, targets);
  },
  inject({ cluster }, targets, params) {
    const kind = (params["file"] as DamagedFile | undefined) ?? "wal";
    const flips = (params["flips"] as number | undefined) ?? 8;
    return damageAndRestart(cluster, targets[0]!, kind, (file, content) => {
      const flipped = flipBits(content, kind, flips);
      return flipped.offsets.length === 0
        ? undefined
        : { content: flipped.content, damage: { file, bytes: content.length, what: `flipped ${flipped.offsets.length} bits in ${file}`, details: { offsets: flipped.offsets } } };
    });
  },
};

/** Cuts the tail of a stopped member's newest WAL segment, as a torn write would. */
export const walTruncateNemesis: Nemesis = {
  name: "wal-truncate",
  summary: "stop one member, cut the last params.bytes (512) written bytes off its newest WAL segment, start it; a member etcd refuses is replaced",
  unavailableReason(cluster, targets, params) {
    const bytes = params["bytes"] ?? 512;
    if (typeof bytes !== "number" || !Number.isInteger(bytes) || bytes < 1) return `params.bytes is a whole number of bytes, got ${JSON.stringify(bytes)}`;
    return oneTarget(cluster, targets);
  },
  inject({ cluster }, targets, params) {
    const bytes = (params["bytes"] as number | undefined) ?? 512;
    return damageAndRestart(cluster, targets[0]!, "wal", (file, content) => {
      const cut = truncateTail(content, bytes);
      return cut.written === 0
        ? undefined
        : { content: cut.content, damage: { file, bytes: content.length, what: `cut ${file} at byte ${cut.cutAt} of ${cut.written} written`, details: { cutAt: cut.cutAt, written: cut.written } } };
    });
  },
};

type Damager = (file: string, content: Buffer) => { content: Buffer; damage: Damage } | undefined;

async function damageAndRestart(cluster: Cluster, name: string, kind: DamagedFile, damager: Damager): Promise<FaultHandle> {
  const member = cluster.member(name);
  const oldId = member.id;
  await cluster.processes.signal(name, "SIGKILL");
  const exitCode = await cluster.processes.waitForExit(name, exitBudgetMs);
  if (exitCode === undefined) {
    return faultHandle({ damaged: false }, { verify: async () => [measured(false, `${name} still ran ${exitBudgetMs}ms after SIGKILL; nothing damaged`)] });
  }
  const files = await cluster.storage.files(name);
  const target = fileToDamage(files, kind);
  const damaged = target ? damager(target.path, await cluster.storage.read(name, target.path)) : undefined;
  if (damaged) await cluster.storage.write(name, damaged.damage.file, damaged.content);
  await cluster.processes.restart(name);
  const details: Record<string, unknown> = {
    damaged: damaged !== undefined,
    ...(damaged ? { file: damaged.damage.file, what: damaged.damage.what, ...damaged.damage.details } : { file: kind, why: target ? `${target.path} has no written bytes` : `${name} has no ${kind} file yet` }),
  };
  const started = await observeStart(cluster, name, oldId);
  Object.assign(details, started);
  return faultHandle(details, {
    async verify(): Promise<EffectSign[]> {
      if (!damaged) return [measured(false, `nothing damaged: ${String(details["why"])}`)];
      const now = await judgeMember(cluster, name, details["outcome"] as StorageOutcome);
      Object.assign(details, now);
      return [measured(true, `${damaged.damage.what} of ${name}; ${describeStorageOutcome(name, storageDamageSchema.parse(details))}`)];
    },
    async heal() {
      const outcome = details["outcome"] as StorageOutcome | undefined;
      if (outcome === "rejoined") return;
      const replacedBy = await cluster.membership.replace(name);
      const disarmed = await disarmCorrupt(cluster, name);
      Object.assign(details, { healedBy: `replaced: ${oldId} -> ${replacedBy.newId}`, ...(disarmed.length > 0 ? { disarmed } : {}) });
    },
  });
}

/** Waits until the restarted member rejoins with its old id, or its etcd exits; then why it exited. */
async function observeStart(cluster: Cluster, name: string, oldId: string): Promise<Record<string, unknown>> {
  const started = Date.now();
  while (Date.now() - started < startBudgetMs) {
    if (!(await cluster.processes.isRunning(name))) {
      const reason = exitReasonIn(await cluster.processes.recentOutput(name, 200).catch(() => ""));
      return { outcome: "refused-to-start", ...(reason ? { reason } : {}), afterMs: Date.now() - started };
    }
    const status = await memberStatus(name, cluster.member(name).admin, 500).catch(() => undefined);
    if (status && status.memberId === oldId && status.leaderId !== "0") return { outcome: "rejoined", afterMs: Date.now() - started };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { outcome: "no-answer", afterMs: startBudgetMs };
}

/** At the end of the fault's window: still running? a CORRUPT alarm? the same HashKV as the others at a common revision? */
async function judgeMember(cluster: Cluster, name: string, outcome: StorageOutcome | undefined): Promise<Record<string, unknown>> {
  if (outcome === "refused-to-start") return {};
  if (!(await cluster.processes.isRunning(name))) {
    const reason = exitReasonIn(await cluster.processes.recentOutput(name, 200).catch(() => ""));
    return { outcome: "refused-to-start", exitedLater: true, ...(reason ? { reason } : {}) };
  }
  const others = cluster.members.filter((member) => member.name !== name);
  const raised = await alarms(others[0]!.admin, 2000).catch(() => []);
  const corrupt = raised.filter((alarm) => alarm.alarm.toUpperCase() === "CORRUPT");
  if (corrupt.length > 0) return { outcome: "corrupt-alarm", alarms: corrupt.map((alarm) => cluster.nameOf(alarm.memberId) ?? alarm.memberId) };
  const compared = await compareHashes(cluster);
  if (!compared) return { outcome: outcome ?? "no-answer" };
  const differs = Object.entries(compared.hashes).some(([, hash]) => hash !== compared.hashes[others[0]!.name]);
  return { outcome: differs ? "diverged" : outcome === "no-answer" ? "no-answer" : "rejoined", hashKV: compared };
}

/** HashKV of every member at the lowest revision they all reached, or undefined when one does not answer. */
async function compareHashes(cluster: Cluster): Promise<{ revision: number; hashes: Record<string, number> } | undefined> {
  try {
    const statuses = await Promise.all(cluster.members.map((member) => memberStatus(member.name, member.admin, 2000)));
    const revision = Math.min(...statuses.map((status) => status.revision));
    const hashes = await Promise.all(cluster.members.map(async (member) => [member.name, (await kvHash(member.admin, revision, 5000)).hash] as const));
    return { revision, hashes: Object.fromEntries(hashes) };
  } catch {
    return undefined;
  }
}

/** Disarms the CORRUPT alarms the damage raised, once the member is replaced. */
async function disarmCorrupt(cluster: Cluster, name: string): Promise<string[]> {
  const admin = cluster.members.find((member) => member.name !== name)!.admin;
  const raised = (await alarms(admin, 2000).catch(() => [])).filter((alarm) => alarm.alarm.toUpperCase() === "CORRUPT");
  const disarmed: string[] = [];
  for (const alarm of raised) {
    try {
      await admin.maintenance.alarm({ action: "Deactivate", memberID: alarm.memberId, alarm: alarm.alarm as "Corrupt" }, deadline(5000));
      disarmed.push(`CORRUPT of ${cluster.nameOf(alarm.memberId) ?? alarm.memberId}`);
    } catch (error) {
      disarmed.push(`CORRUPT of ${cluster.nameOf(alarm.memberId) ?? alarm.memberId} failed: ${errorMessage(error)}`);
    }
  }
  return disarmed;
}
