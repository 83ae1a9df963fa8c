// List-append analysis: each key's version order from the longest read, the anomalies reads show on their own, and dependency edges.
//
// Appends are unique per key, so a read names every append it saw, in order. Every read of a key must be a
// prefix of its longest read, which gives the order appends took effect. An uncertain transaction whose
// append a read shows committed; one no read shows proves nothing and adds no edge.
import type { Analysis, Finding } from "./finding.ts";
import { txnName } from "./finding.ts";
import { RW, WR, WW, type Edge, type GraphBuilder } from "./graph.ts";
import { WriteSites } from "./sites.ts";
import { abortedWrites, type ElleKey, type ElleValue, type MicroOp, type Transaction } from "./transaction.ts";

interface ReadSite {
  txn: number;
  op: number;
  list: readonly ElleValue[];
  /** Whether its transaction appends to the key after this read. */
  thenAppends: boolean;
}

const show = (key: ElleKey) => JSON.stringify(key);

export function analyzeListAppend(transactions: readonly Transaction[], graph: GraphBuilder): Analysis {
  const findings: Finding[] = [];
  // Each key's appends: value -> where it was appended.
  const sites = new WriteSites();
  const appends = new Map<ElleKey, Map<ElleValue, number>>();
  const aborted = new Map<ElleKey, Map<ElleValue, number>>();
  const reads = new Map<ElleKey, ReadSite[]>();

  for (const t of transactions) {
    if (t.outcome !== "fail") {
      const ops = t.ops;
      const repeatsKeys = hasRepeatedKey(ops);
      for (let index = 0; index < ops.length; index++) {
        const op = ops[index]!;
        if (op.f === "append") {
          let byValue = appends.get(op.key);
          if (!byValue) appends.set(op.key, (byValue = new Map()));
          if (!byValue.has(op.value)) {
            const last = !repeatsKeys || !laterOnKey(ops, index, "append");
            byValue.set(op.value, sites.add(t.id, index, last, !repeatsKeys || (last && appendsOnKey(ops, op.key) === 1)));
          }
        } else if (op.f === "r" && t.outcome === "ok" && op.value !== undefined) {
          if (!Array.isArray(op.value)) throw new Error(`${txnName(t)}: a list-append read of key ${show(op.key)} returned ${JSON.stringify(op.value)}, not a list`);
          let keyReads = reads.get(op.key);
          if (!keyReads) reads.set(op.key, (keyReads = []));
          keyReads.push({ txn: t.id, op: index, list: op.value as readonly ElleValue[], thenAppends: repeatsKeys && laterOnKey(ops, index, "append") });
        }
      }
      if (t.outcome === "ok" && repeatsKeys) findings.push(...internalInconsistencies(t));
    }
    for (const op of abortedWrites(t)) {
      if (op.f !== "append") continue;
      let byValue = aborted.get(op.key);
      if (!byValue) aborted.set(op.key, (byValue = new Map()));
      byValue.set(op.value, t.id);
    }
  }

  /** Each key's version order: the longest read. */
  const orders = new Map<ElleKey, readonly ElleValue[]>();
  for (const [key, keyReads] of reads) {
    let longest = keyReads[0]!;
    for (const site of keyReads) if (site.list.length > longest.list.length) longest = site;
    const order = longest.list;
    orders.set(key, order);
    const byValue = appends.get(key);
    const badReads = keyReads.filter((site) => !isPrefix(site.list, order));
    for (const site of badReads.slice(0, 8)) {
      findings.push({
        name: "incompatible-order",
        txns: [site.txn, longest.txn],
        explanation: `${txnName(transactions[site.txn]!)} read key ${show(key)} as ${JSON.stringify(site.list)}, which is not a prefix of ${txnName(transactions[longest.txn]!)}'s read ${JSON.stringify(order)}: the two disagree on the order of its appends`,
      });
    }
    for (const site of [longest, ...badReads]) findings.push(...elementProblems(key, site, byValue, aborted.get(key), transactions));
    findings.push(...outOfOwnOrder(key, longest, byValue, sites, transactions));
    // A read that ends on one of a transaction's appends to the key but not its last saw it half done.
    for (const site of keyReads) {
      const future = site.thenAppends && site.list.find((value) => {
        const writer = byValue?.get(value);
        return writer !== undefined && sites.txn(writer) === site.txn && sites.op(writer) > site.op;
      });
      if (future !== undefined && future !== false) {
        const t = txnName(transactions[site.txn]!);
        findings.push({ name: "internal", txns: [site.txn], explanation: `${t} read key ${show(key)} as ${JSON.stringify(site.list)}, showing its own append of ${JSON.stringify(future)} before it made it` });
      }
      const lastValue = externalEnd(site.txn, site.list, byValue, sites);
      if (lastValue === undefined) continue;
      const writer = byValue?.get(lastValue);
      if (writer !== undefined && !sites.last(writer) && sites.txn(writer) !== site.txn) {
        const writerName = txnName(transactions[sites.txn(writer)]!);
        findings.push({
          name: "G1b",
          txns: [site.txn, sites.txn(writer)],
          explanation: `${txnName(transactions[site.txn]!)} read key ${show(key)} ending at ${JSON.stringify(lastValue)}, an intermediate append of ${writerName}, which appended to it again later in the same transaction`,
        });
      }
    }
  }

  addEdges(transactions, graph, appends, sites, reads, orders, findings);
  return { findings, explain: (edge) => explainEdge(edge, transactions, appends, sites) };
}

/** Whether two micro-operations of a transaction touch one key (most touch each key once, and need no more checks). */
function hasRepeatedKey(ops: readonly MicroOp[]): boolean {
  for (let i = 1; i < ops.length; i++) for (let j = 0; j < i; j++) if (ops[i]!.key === ops[j]!.key) return true;
  return false;
}

/** Whether an operation of kind `f` on the same key follows operation `index`. */
function laterOnKey(ops: readonly MicroOp[], index: number, f: MicroOp["f"]): boolean {
  const key = ops[index]!.key;
  for (let i = index + 1; i < ops.length; i++) if (ops[i]!.f === f && ops[i]!.key === key) return true;
  return false;
}

function appendsOnKey(ops: readonly MicroOp[], key: ElleKey): number {
  let count = 0;
  for (const op of ops) if (op.f === "append" && op.key === key) count++;
  return count;
}

function isPrefix(list: readonly ElleValue[], of: readonly ElleValue[]): boolean {
  if (list.length > of.length) return false;
  for (let i = 0; i < list.length; i++) if (list[i] !== of[i]) return false;
  return true;
}

/** The last element of a read that some other transaction appended: what the reader saw of everyone else. */
function externalEnd(reader: number, list: readonly ElleValue[], byValue: Map<ElleValue, number> | undefined, sites: WriteSites): ElleValue | undefined {
  for (let i = list.length - 1; i >= 0; i--) {
    const value = list[i]!;
    const writer = byValue?.get(value);
    if (writer === undefined || sites.txn(writer) !== reader) return value;
  }
  return undefined;
}

/** Elements a read shows twice (duplicate-append), that an aborted transaction appended (G1a), or that nobody appended (garbage-read). */
function elementProblems(key: ElleKey, site: ReadSite, byValue: Map<ElleValue, number> | undefined, abortedByValue: Map<ElleValue, number> | undefined, transactions: readonly Transaction[]): Finding[] {
  const findings: Finding[] = [];
  const reader = txnName(transactions[site.txn]!);
  const seen = new Set<ElleValue>();
  for (const value of site.list) {
    if (seen.has(value)) {
      findings.push({ name: "duplicate-append", txns: [site.txn], explanation: `${reader} read key ${show(key)} as ${JSON.stringify(site.list)}: ${JSON.stringify(value)} appears twice, though it was appended once` });
    }
    seen.add(value);
    if (byValue?.has(value)) continue;
    const abortedBy = abortedByValue?.get(value);
    if (abortedBy !== undefined) {
      findings.push({
        name: "G1a",
        txns: [site.txn, abortedBy],
        explanation: `${reader} read ${JSON.stringify(value)} in key ${show(key)}, appended only by ${txnName(transactions[abortedBy]!)}, which did not commit (aborted read)`,
      });
    } else {
      findings.push({ name: "garbage-read", txns: [site.txn], explanation: `${reader} read ${JSON.stringify(value)} in key ${show(key)}, which no transaction appended` });
    }
  }
  return findings;
}

/** Appends of one transaction that a read shows in another order than the transaction made them. */
function outOfOwnOrder(key: ElleKey, site: ReadSite, byValue: Map<ElleValue, number> | undefined, sites: WriteSites, transactions: readonly Transaction[]): Finding[] {
  // Only a transaction that appended to the key more than once has an order of its own there: its earlier appends are not its last.
  let earlier: Map<number, { op: number; value: ElleValue }> | undefined;
  for (const value of site.list) {
    const writer = byValue?.get(value);
    if (writer === undefined) continue;
    const txn = sites.txn(writer);
    const before = earlier?.get(txn);
    if (before && before.op > sites.op(writer)) {
      return [
        {
          name: "incompatible-order",
          txns: [site.txn, txn],
          explanation: `${txnName(transactions[site.txn]!)} read key ${show(key)} as ${JSON.stringify(site.list)}, with ${JSON.stringify(before.value)} before ${JSON.stringify(value)}, though ${txnName(transactions[txn]!)} appended them in the other order`,
        },
      ];
    }
    if (!sites.alone(writer)) (earlier ??= new Map()).set(txn, { op: sites.op(writer), value });
  }
  return [];
}

/** A transaction that contradicts itself: a read of a key that does not show what it read and appended there before. */
function internalInconsistencies(t: Transaction): Finding[] {
  const expected = new Map<ElleKey, { prefix?: readonly ElleValue[]; suffix: ElleValue[] }>();
  const findings: Finding[] = [];
  for (const op of t.ops) {
    let state = expected.get(op.key);
    if (!state) expected.set(op.key, (state = { suffix: [] }));
    if (op.f === "append") {
      state.suffix.push(op.value);
      continue;
    }
    if (op.f !== "r" || !Array.isArray(op.value)) continue;
    const list = op.value as readonly ElleValue[];
    const wanted = state.prefix ? [...state.prefix, ...state.suffix] : undefined;
    const endsRight = state.suffix.every((value, i) => list[list.length - state.suffix.length + i] === value);
    if ((wanted && (wanted.length !== list.length || !isPrefix(list, wanted))) || (!wanted && !endsRight)) {
      const what = wanted ? JSON.stringify(wanted) : `a list ending ${JSON.stringify(state.suffix)}`;
      findings.push({ name: "internal", txns: [t.id], explanation: `${txnName(t)} read key ${show(op.key)} as ${JSON.stringify(list)} after its own earlier operations on it made it ${what}` });
    }
    expected.set(op.key, { prefix: list, suffix: [] });
  }
  return findings;
}

function addEdges(
  transactions: readonly Transaction[],
  graph: GraphBuilder,
  appends: Map<ElleKey, Map<ElleValue, number>>,
  sites: WriteSites,
  reads: Map<ElleKey, ReadSite[]>,
  orders: Map<ElleKey, readonly ElleValue[]>,
  findings: Finding[],
): void {
  for (const [key, order] of orders) {
    const byValue = appends.get(key);
    // The site of each append in the order, -1 where nobody (that committed) appended it.
    const writers = new Int32Array(order.length);
    for (let i = 0; i < order.length; i++) writers[i] = byValue?.get(order[i]!) ?? -1;
    const writerTxn = (i: number) => (i >= 0 && i < writers.length && writers[i] !== -1 ? sites.txn(writers[i]!) : -1);
    // ww: each append after the one before it.
    for (let i = 1; i < writers.length; i++) {
      const before = writers[i - 1]!;
      const after = writers[i]!;
      if (before !== -1 && after !== -1) graph.add(sites.txn(before), sites.txn(after), WW, sites.op(before), sites.op(after));
    }
    // Readers that read the same version and appended to the key: one of the two appends was lost to the other's view.
    let readModifyWrite: Map<number, number[]> | undefined;
    for (const site of reads.get(key)!) {
      if (!isPrefix(site.list, order)) continue;
      let end = site.list.length - 1;
      while (end >= 0 && writerTxn(end) === site.txn) end--;
      if (end >= 0 && writers[end] !== -1) graph.add(writerTxn(end), site.txn, WR, sites.op(writers[end]!), site.op);
      let next = end + 1;
      while (next < writers.length && writerTxn(next) === site.txn) next++;
      if (next < writers.length && writers[next] !== -1) graph.add(site.txn, writerTxn(next), RW, site.op, sites.op(writers[next]!));
      if (site.thenAppends && end === site.list.length - 1) {
        readModifyWrite ??= new Map();
        let group = readModifyWrite.get(end);
        if (!group) readModifyWrite.set(end, (group = []));
        if (!group.includes(site.txn)) group.push(site.txn);
      }
    }
    for (const [end, group] of readModifyWrite ?? []) {
      if (group.length < 2) continue;
      const names = group.map((id) => txnName(transactions[id]!));
      const version = end < 0 ? "empty" : `ending at ${JSON.stringify(order[end])}`;
      findings.push({ name: "lost-update", txns: group, explanation: `${names.join(" and ")} each read key ${show(key)} ${version} and appended to it: each should have seen the other's append` });
    }
  }
}

function opOf(t: Transaction, index: number): MicroOp {
  return t.ops[index]!;
}

function explainEdge(edge: Edge, transactions: readonly Transaction[], appends: Map<ElleKey, Map<ElleValue, number>>, sites: WriteSites): string {
  const from = transactions[edge.from]!;
  const to = transactions[edge.to]!;
  const a = txnName(from);
  const b = txnName(to);
  const fromOp = opOf(from, edge.fromOp);
  const toOp = opOf(to, edge.toOp);
  if (edge.kind === WW) {
    return `${b}'s append of ${JSON.stringify(toOp.value)} to key ${show(toOp.key)} came right after ${a}'s append of ${JSON.stringify(fromOp.value)} (in the order the longest read of the key showed)`;
  }
  if (edge.kind === WR) return `${b} read ${a}'s append of ${JSON.stringify(fromOp.value)} to key ${show(fromOp.key)}`;
  const end = externalEnd(from.id, fromOp.value as readonly ElleValue[], appends.get(toOp.key), sites);
  const read = end === undefined ? "empty" : `ending at ${JSON.stringify(end)}`;
  return `${a} read key ${show(toOp.key)} ${read}, without ${b}'s append of ${JSON.stringify(toOp.value)}, which came next`;
}
