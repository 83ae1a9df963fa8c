// Fills the backend until etcd raises NOSPACE, without ever letting a write be applied past the quota.
//
// etcd checks the quota twice: at the API of the member a write arrives at, before proposing it, and
// again on every member as it applies it, each against its own backend size. A write that passes the
// first check and fails the second is applied anyway and still answered "database space exceeded"
// (etcd's maintenance guide warns of it), so a client would record as `fail` a write that happened. And
// members' backends differ by megabytes for the same data. So the fill keeps the fullest member's
// backend more than one fill write plus a margin below the quota, then sends one write too large for
// the fullest member's remaining space: that member refuses it at the API, unapplied, and raises the
// alarm; from then on every member refuses every put unapplied, until the alarm is disarmed. The fill
// overwrites one key, so a compaction frees all but its last value and a defragmentation gives the
// space back, as in the operator's runbook.
import type { Cluster } from "../harness/cluster/backend.ts";
import { alarms } from "../harness/cluster/member-status.ts";
import { megabytes, storageOfAll, type Storage } from "../harness/cluster/member-storage.ts";
import { filler, type FaultWriter } from "./fault-writer.ts";
import { measured, type Measured } from "./nemesis.ts";

export const fillKey = "__harness/quota/fill";

/** etcd refuses requests larger than this by default (--max-request-bytes). */
export const maxRequestBytes = 1.5 * 1024 * 1024;
/** How far past the fullest member's remaining space the last write reaches. */
const overshootBytes = 64 * 1024;
/**
 * etcd commits its backend every 100 ms, and the sizes it reports leave out what it applied since, which
 * can be several fill writes: the fill decides from settled readings plus what it wrote since.
 */
const settleMs = 120;
const settleTries = 5;
/** A fill write grows a backend by its size and, to be safe, up to a quarter more (pages, index). */
const growthPerByte = 1.25;
const putTimeoutMs = 10_000;

export interface FillOptions {
  quotaBytes: number;
  /** Size of each fill write. */
  chunkBytes: number;
  /** Room kept free on the fullest member, besides one fill write, until the last write. */
  marginBytes: number;
  budgetMs: number;
}

/** The value of --quota-backend-bytes among etcd flags, if set. */
export function quotaBytesOf(flags: readonly string[]): number | undefined {
  for (let index = 0; index < flags.length; index++) {
    const flag = flags[index]!;
    const value = flag.startsWith("--quota-backend-bytes=") ? flag.slice("--quota-backend-bytes=".length) : flag === "--quota-backend-bytes" ? flags[index + 1] : undefined;
    if (value !== undefined && /^\d+$/.test(value)) return Number(value);
  }
  return undefined;
}

export type FillStep = { kind: "fill"; bytes: number } | { kind: "settle" } | { kind: "last"; bytes: number; via: string };

/**
 * The next step of the fill, from every member's settled backend size and the fill bytes written since
 * that reading: another fill write while the fullest member surely has room for it and the margin; a
 * fresh reading when it might not; else the last write, too large for the fullest member's room.
 */
export function nextFillStep(storages: Storage[], options: Pick<FillOptions, "quotaBytes" | "chunkBytes" | "marginBytes">, writtenSince = 0): FillStep {
  const fullest = storages.reduce((a, b) => (b.dbSize > a.dbSize ? b : a));
  const headroom = options.quotaBytes - fullest.dbSize;
  if (headroom - writtenSince * growthPerByte > options.chunkBytes + options.marginBytes) return { kind: "fill", bytes: options.chunkBytes };
  if (writtenSince > 0) return { kind: "settle" };
  return { kind: "last", bytes: Math.max(0, headroom) + overshootBytes, via: fullest.member };
}

export interface FillResult {
  puts: number;
  bytesWritten: number;
  ms: number;
  /** The write meant to be refused, where it went, and what it got. */
  last: { via: string; bytes: number; error?: string };
  /** Backends once the alarm was raised and sizes settled. */
  storages: Storage[];
  /** Members that raised NOSPACE, by name. */
  raisedBy: string[];
  /** Members that listed the alarm within the budget. */
  listedBy: string[];
}

const isNospace = (error: string | undefined): boolean => error !== undefined && /database space exceeded/i.test(error);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes `fillKey` through `via` until etcd raises NOSPACE; every write goes through `writer`.
 * `onListed` is called once, as soon as a member's alarm listing shows NOSPACE.
 */
export async function fillUntilNospace(cluster: Cluster, via: string, writer: FaultWriter, options: FillOptions, onListed: (member: string) => void = () => undefined): Promise<FillResult> {
  const started = Date.now();
  let puts = 0;
  let bytesWritten = 0;
  let lastTries = 0;
  let last: FillResult["last"] | undefined;
  let storages = await settledStorages(cluster);
  let writtenSince = 0;
  while (!last?.error || !isNospace(last.error)) {
    if (Date.now() - started > options.budgetMs) {
      throw new Error(
        `quota: no NOSPACE alarm after ${puts} puts (${megabytes(bytesWritten)}) in ${options.budgetMs}ms against a quota of ${megabytes(options.quotaBytes)}${last?.error ? ` (last error: ${last.error})` : ""}`,
      );
    }
    const step = nextFillStep(storages, options, writtenSince);
    if (step.kind === "settle") {
      storages = await settledStorages(cluster);
      writtenSince = 0;
      continue;
    }
    if (step.kind === "fill") {
      const outcome = await writer.put(cluster.member(via), fillKey, ...valueOf(step.bytes, "fill"), putTimeoutMs);
      if (outcome.ok) {
        puts++;
        bytesWritten += step.bytes;
        writtenSince += step.bytes;
      } else if (isNospace(outcome.error)) {
        // Raised before the last write, which the result shows: by the member refusing this write, or by one applying a write past its own quota.
        last = { via, bytes: step.bytes, error: outcome.error };
      }
      continue;
    }
    if (++lastTries > 3) throw new Error(`quota: ${lastTries - 1} writes too large for the fullest member's space were accepted; its reported size does not follow what it holds`);
    const outcome = await writer.put(cluster.member(step.via), fillKey, ...valueOf(step.bytes, "too large to fit"), putTimeoutMs);
    last = { via: step.via, bytes: step.bytes, ...(outcome.ok ? {} : { error: outcome.error }) };
    if (outcome.ok) writtenSince += step.bytes;
  }
  const listing = await waitForAlarm(cluster, 5000, onListed);
  return { puts, bytesWritten, ms: Date.now() - started, last: last!, storages: await settledStorages(cluster), ...listing };
}

/** Every member's storage once two readings a commit interval apart agree (or after a few tries). */
async function settledStorages(cluster: Cluster): Promise<Storage[]> {
  let storages = await storageOfAll(cluster.members);
  for (let attempt = 0; attempt < settleTries; attempt++) {
    await sleep(settleMs);
    const again = await storageOfAll(cluster.members);
    const settled = again.every((storage, index) => storage.dbSize === storages[index]!.dbSize);
    storages = again;
    if (settled) break;
  }
  return storages;
}

function valueOf(bytes: number, label: string): [Buffer, string] {
  const { value, shown } = filler(bytes, label);
  return [value, shown];
}

async function waitForAlarm(cluster: Cluster, budgetMs: number, onListed: (member: string) => void): Promise<{ raisedBy: string[]; listedBy: string[] }> {
  const started = Date.now();
  let raisedBy: string[] = [];
  let listedBy: string[] = [];
  let seen = false;
  const list = async (member: Cluster["members"][number]) => {
    const raised = await alarms(member.admin, 1000).catch(() => []);
    if (!seen && raised.some((alarm) => /nospace/i.test(alarm.alarm))) {
      seen = true;
      onListed(member.name);
    }
    return [member.name, raised] as const;
  };
  while (Date.now() - started < budgetMs) {
    const lists = await Promise.all(cluster.members.map(list));
    listedBy = lists.filter(([, raised]) => raised.some((alarm) => /nospace/i.test(alarm.alarm))).map(([name]) => name);
    raisedBy = [...new Set(lists.flatMap(([, raised]) => raised.filter((alarm) => /nospace/i.test(alarm.alarm)).map((alarm) => cluster.nameOf(alarm.memberId) ?? alarm.memberId)))];
    if (listedBy.length === cluster.members.length) break;
    await sleep(100);
  }
  return { raisedBy, listedBy };
}

/** Smallest quota cost of a put: etcd counts 256 bytes of overhead besides key and value. */
const smallestWriteCost = 256 + 8;

/**
 * The fill bit when every member lists NOSPACE. It kept its promise that no write was applied past
 * the quota when the alarm came from the member the last write went to, and every backend is still
 * more than a small write below the quota.
 */
export function judgeFill(result: FillResult, options: Pick<FillOptions, "quotaBytes" | "chunkBytes">, members: string[]): Measured {
  const unlisted = members.filter((member) => !result.listedBy.includes(member));
  const sizes = result.storages.map((storage) => `${storage.member} ${megabytes(storage.dbSize)}`).join(", ");
  const over = result.storages.filter((storage) => storage.dbSize + smallestWriteCost >= options.quotaBytes).map((storage) => storage.member);
  const elsewhere = result.raisedBy.filter((member) => member !== result.last.via);
  const caveats = [
    ...(over.length > 0 ? [`${over.join(",")} reached the quota`] : []),
    ...(elsewhere.length > 0 ? [`${elsewhere.join(",")} raised it while applying a write`] : []),
  ];
  const fill = `${result.puts} puts of ${Math.round(options.chunkBytes / 1024)} KiB (${megabytes(result.bytesWritten)}) in ${(result.ms / 1000).toFixed(1)}s`;
  const fullest = result.storages.reduce((a, b) => (b.dbSize > a.dbSize ? b : a));
  const promise =
    caveats.length === 0
      ? `every backend stayed below the quota (the fullest, ${fullest.member}, by ${megabytes(options.quotaBytes - fullest.dbSize)}), so no write was applied past it`
      : `${caveats.join("; ")}: a write answered "database space exceeded" may have been applied (etcd's maintenance guide)`;
  if (result.raisedBy.length === 0 || unlisted.length > 0) {
    return measured(false, `after ${fill}, NOSPACE was ${result.raisedBy.length === 0 ? "not raised" : `not listed by ${unlisted.join(",")}`}; backends ${sizes} of a ${megabytes(options.quotaBytes)} quota`);
  }
  return measured(
    true,
    `NOSPACE raised by ${result.raisedBy.join(",")} after ${fill} and a last write of ${Math.round(result.last.bytes / 1024)} KiB through ${result.last.via}; backends ${sizes} of a ${megabytes(options.quotaBytes)} quota; ${promise}`,
  );
}
