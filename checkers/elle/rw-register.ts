// Read-write register analysis: per key, a version order from etcd's revisions and from reads followed by writes; anomalies and edges.
//
// Writes are unique per key, so a read names the write it saw. Version order comes from two kinds of
// evidence: etcd's revisions (a committed txn's writes carry its header revision; a read carries the mod
// revision of the value it returned, which places even an uncertain write), and a transaction that read a
// value and then wrote the key, which puts its write after the value it read. A key absent at first
// comes before every write. A write nothing places adds no edge.
import type { Analysis, Finding } from "./finding.ts";
import { txnName } from "./finding.ts";
import { RW, WR, WW, type Edge, type GraphBuilder } from "./graph.ts";
import { abortedWrites, type ElleKey, type ElleValue, type Transaction } from "./transaction.ts";

interface WriteSite {
  txn: number;
  op: number;
  /** Whether it is its transaction's last write to the key. */
  last: boolean;
}

interface ReadSite {
  txn: number;
  op: number;
  value: ElleValue | null;
  modRevision?: number;
  /** Whether the transaction writes the key after this read. */
  thenWrites: boolean;
}

type Version = ElleValue | null;

const show = (key: ElleKey) => JSON.stringify(key);
const showValue = (value: Version) => (value === null ? "absent" : JSON.stringify(value));

export function analyzeRwRegister(transactions: readonly Transaction[], graph: GraphBuilder): Analysis {
  const findings: Finding[] = [];
  const writes = new Map<ElleKey, Map<ElleValue, WriteSite>>();
  const aborted = new Map<ElleKey, Map<ElleValue, number>>();
  const reads = new Map<ElleKey, ReadSite[]>();

  for (const t of transactions) {
    if (t.outcome !== "fail") collectTransaction(t, writes, reads, findings);
    for (const op of abortedWrites(t)) {
      if (op.f !== "w") continue;
      let byValue = aborted.get(op.key);
      if (!byValue) aborted.set(op.key, (byValue = new Map()));
      byValue.set(op.value, t.id);
    }
  }

  const revisions = new Map<ElleKey, Map<ElleValue, number>>();
  const readersOf = new Map<ElleKey, Map<Version, ReadSite[]>>();
  for (const [key, sites] of reads) {
    const byValue = writes.get(key);
    const known = revisionsOf(key, byValue, transactions, revisions);
    const readers = new Map<Version, ReadSite[]>();
    readersOf.set(key, readers);
    for (const site of sites) {
      const reader = txnName(transactions[site.txn]!);
      if (site.value !== null) {
        const writer = byValue?.get(site.value);
        if (!writer) {
          const abortedBy = aborted.get(key)?.get(site.value);
          findings.push(
            abortedBy !== undefined
              ? { name: "G1a", txns: [site.txn, abortedBy], explanation: `${reader} read key ${show(key)} = ${showValue(site.value)}, written only by ${txnName(transactions[abortedBy]!)}, which did not commit (aborted read)` }
              : { name: "garbage-read", txns: [site.txn], explanation: `${reader} read key ${show(key)} = ${showValue(site.value)}, which no transaction wrote` },
          );
          continue;
        }
        if (writer.txn === site.txn && writer.op > site.op) {
          findings.push({ name: "internal", txns: [site.txn], explanation: `${reader} read key ${show(key)} = ${showValue(site.value)}, its own write, before it made it` });
          continue;
        }
        if (!writer.last && writer.txn !== site.txn) {
          findings.push({ name: "G1b", txns: [site.txn, writer.txn], explanation: `${reader} read key ${show(key)} = ${showValue(site.value)}, an intermediate write of ${txnName(transactions[writer.txn]!)}, which wrote the key again later in the same transaction` });
        }
        if (site.modRevision !== undefined) {
          const revision = known.get(site.value);
          if (revision === undefined) known.set(site.value, site.modRevision);
          else if (revision !== site.modRevision) {
            findings.push({
              name: "revision-mismatch",
              txns: [site.txn, writer.txn],
              explanation: `${reader} read key ${show(key)} = ${showValue(site.value)} at mod revision ${site.modRevision}, but ${txnName(transactions[writer.txn]!)} wrote it at revision ${revision}`,
            });
          }
        }
      }
      let group = readers.get(site.value);
      if (!group) readers.set(site.value, (group = []));
      group.push(site);
    }
  }
  for (const [key, byValue] of writes) if (!revisions.has(key)) revisionsOf(key, byValue, transactions, revisions);

  for (const [key, byValue] of writes) {
    const pairs = versionPairs(key, byValue, reads.get(key) ?? [], revisions.get(key)!, transactions, findings);
    const readers = readersOf.get(key) ?? new Map<Version, ReadSite[]>();
    for (const [value, sites] of readers) {
      if (value === null) continue;
      const writer = byValue.get(value);
      if (writer) for (const site of sites) graph.add(writer.txn, site.txn, WR, writer.op, site.op);
    }
    for (const [before, after] of pairs) {
      const next = byValue.get(after)!;
      if (before !== null) {
        const previous = byValue.get(before);
        if (previous) graph.add(previous.txn, next.txn, WW, previous.op, next.op);
      }
      for (const site of readers.get(before) ?? []) graph.add(site.txn, next.txn, RW, site.op, next.op);
    }
    for (const [value, sites] of readers) {
      const group = [...new Set(sites.filter((site) => site.thenWrites).map((site) => site.txn))];
      if (group.length < 2) continue;
      findings.push({
        name: "lost-update",
        txns: group,
        explanation: `${group.map((id) => txnName(transactions[id]!)).join(" and ")} each read key ${show(key)} = ${showValue(value)} and then wrote it: each should have seen the other's write`,
      });
    }
  }
  return { findings, explain: (edge) => explainEdge(edge, transactions, revisions) };
}

/** A committed transaction's external reads (and its internal consistency) and any transaction's writes. */
function collectTransaction(t: Transaction, writes: Map<ElleKey, Map<ElleValue, WriteSite>>, reads: Map<ElleKey, ReadSite[]>, findings: Finding[]): void {
  const lastWrite = new Map<ElleKey, number>();
  t.ops.forEach((op, index) => {
    if (op.f === "w") lastWrite.set(op.key, index);
  });
  // What the transaction itself last wrote or read on each key.
  const own = new Map<ElleKey, { value: Version; wrote: boolean }>();
  t.ops.forEach((op, index) => {
    if (op.f === "w") {
      let byValue = writes.get(op.key);
      if (!byValue) writes.set(op.key, (byValue = new Map()));
      if (!byValue.has(op.value)) byValue.set(op.value, { txn: t.id, op: index, last: lastWrite.get(op.key) === index });
      own.set(op.key, { value: op.value, wrote: true });
      return;
    }
    if (op.f !== "r" || t.outcome !== "ok" || op.value === undefined) return;
    if (Array.isArray(op.value)) throw new Error(`${txnName(t)}: an rw-register read of key ${show(op.key)} returned a list`);
    const value = op.value as Version;
    const before = own.get(op.key);
    if (before) {
      if (before.value !== value) {
        findings.push({ name: "internal", txns: [t.id], explanation: `${txnName(t)} read key ${show(op.key)} = ${showValue(value)} after it had ${before.wrote ? "written" : "read"} ${showValue(before.value)} there itself` });
      }
      return;
    }
    own.set(op.key, { value, wrote: false });
    let sites = reads.get(op.key);
    if (!sites) reads.set(op.key, (sites = []));
    const thenWrites = t.ops.some((later, at) => at > index && later.f === "w" && later.key === op.key);
    sites.push({ txn: t.id, op: index, value, ...(op.modRevision !== undefined ? { modRevision: op.modRevision } : {}), thenWrites });
  });
}

/** Revisions of a key's values from committed transactions that wrote them; reads add theirs as they are checked. */
function revisionsOf(key: ElleKey, byValue: Map<ElleValue, WriteSite> | undefined, transactions: readonly Transaction[], revisions: Map<ElleKey, Map<ElleValue, number>>): Map<ElleValue, number> {
  let known = revisions.get(key);
  if (known) return known;
  revisions.set(key, (known = new Map()));
  for (const [value, site] of byValue ?? []) {
    const t = transactions[site.txn]!;
    // A transaction's earlier writes to a key are overwritten within it: only its last is a version.
    if (site.last && t.outcome === "ok" && t.revision !== undefined) known.set(value, t.revision);
  }
  return known;
}

/**
 * Pairs (before, after) of versions where `after` is known to follow `before` directly enough to
 * order transactions: consecutive revisions, a read then a write in one transaction, and the absent
 * key before every write that nothing else places. Writes that may not have happened (uncertain and
 * never read) are left out. Two values at one revision are a revision-mismatch.
 */
function versionPairs(key: ElleKey, byValue: Map<ElleValue, WriteSite>, sites: readonly ReadSite[], known: Map<ElleValue, number>, transactions: readonly Transaction[], findings: Finding[]): [Version, ElleValue][] {
  const readValues = new Set(sites.map((site) => site.value));
  const happened = (value: ElleValue) => transactions[byValue.get(value)!.txn]!.outcome === "ok" || readValues.has(value) || known.has(value);
  const pairs: [Version, ElleValue][] = [];
  const placed = new Set<ElleValue>();
  const byRevision = [...known].filter(([value]) => byValue.has(value)).sort((a, b) => a[1] - b[1]);
  for (let i = 0; i < byRevision.length; i++) {
    const [value, revision] = byRevision[i]!;
    const previous = byRevision[i - 1];
    if (previous && previous[1] === revision) {
      const a = byValue.get(previous[0])!.txn;
      const b = byValue.get(value)!.txn;
      findings.push({ name: "revision-mismatch", txns: [a, b], explanation: `key ${show(key)} holds both ${showValue(previous[0])} and ${showValue(value)} at revision ${revision}` });
    }
    pairs.push([previous ? previous[0] : null, value]);
    placed.add(value);
  }
  for (const site of sites) {
    if (!site.thenWrites) continue;
    const t = transactions[site.txn]!;
    const write = t.ops.find((op, at) => at > site.op && op.f === "w" && op.key === key);
    if (!write || write.f !== "w") continue;
    const adjacent = byRevision.findIndex(([value]) => value === write.value);
    if (adjacent >= 0 && (adjacent === 0 ? null : byRevision[adjacent - 1]![0]) === site.value) continue;
    pairs.push([site.value, write.value]);
    placed.add(write.value);
  }
  if (byRevision.length === 0) {
    for (const value of byValue.keys()) if (!placed.has(value) && happened(value)) pairs.push([null, value]);
  }
  return pairs;
}

function explainEdge(edge: Edge, transactions: readonly Transaction[], revisions: Map<ElleKey, Map<ElleValue, number>>): string {
  const from = transactions[edge.from]!;
  const to = transactions[edge.to]!;
  const a = txnName(from);
  const b = txnName(to);
  const fromOp = from.ops[edge.fromOp]!;
  const toOp = to.ops[edge.toOp]!;
  const key = toOp.key;
  const at = (value: Version) => {
    const revision = value === null ? undefined : revisions.get(key)?.get(value);
    return revision === undefined ? "" : ` (mod revision ${revision})`;
  };
  if (edge.kind === WR) return `${b} read ${a}'s write of ${showValue(fromOp.value as Version)} to key ${show(key)}${at(fromOp.value as Version)}`;
  if (edge.kind === WW) {
    const readFirst = to.ops.some((op, index) => index < edge.toOp && op.f === "r" && op.key === key && op.value === fromOp.value);
    if (readFirst) return `${b} read ${a}'s ${showValue(fromOp.value as Version)} from key ${show(key)} and then wrote ${showValue(toOp.value as Version)} over it`;
    return `${b}'s write of ${showValue(toOp.value as Version)} to key ${show(key)}${at(toOp.value as Version)} came next after ${a}'s ${showValue(fromOp.value as Version)}${at(fromOp.value as Version)}, by etcd's revisions`;
  }
  return `${a} read key ${show(key)} = ${showValue(fromOp.value as Version)}${at(fromOp.value as Version)}, and ${b}'s write of ${showValue(toOp.value as Version)}${at(toOp.value as Version)} came next`;
}
