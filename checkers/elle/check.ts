// The Elle-style check: an analysis's edges plus the session and real-time orders, cycles searched per component, each named and explained.
import { stronglyConnected } from "./components.ts";
import { CycleFinder, dependencySearches, sessionSearches, type Cycle, type SearchBudget } from "./cycles.ts";
import { txnName, type Analysis, type Finding } from "./finding.ts";
import { DEPENDENCIES, edgeNames, EVERY_EDGE, GraphBuilder, PROCESS, REALTIME, type Edge, type EdgeKind, type Graph } from "./graph.ts";
import { analyzeListAppend } from "./list-append.ts";
import { modelsRuledOut, needsRealTime, type ConsistencyModel } from "./models.ts";
import { addProcessOrder, addRealTimeOrder } from "./orders.ts";
import { analyzeRwRegister } from "./rw-register.ts";
import type { Transaction } from "./transaction.ts";

export type ElleWorkload = "list-append" | "rw-register";

export interface ElleOptions {
  workload: ElleWorkload;
  consistency: ConsistencyModel;
  /** Search states visited across every cycle search before it gives up (bounds time on huge components). */
  searchStates?: number;
}

export interface ElleReport {
  verdict: "valid" | "invalid" | "unknown";
  consistency: ConsistencyModel;
  transactions: { total: number; ok: number; info: number; fail: number };
  edges: Record<string, number>;
  /** Components with a cycle, over dependency edges and (strict) over every order. */
  components: { dependency: number; everyOrder: number };
  /** Each anomaly class found, with how many. */
  counts: Record<string, number>;
  /** The models the anomalies found rule out. */
  ruledOut: ConsistencyModel[];
  findings: Finding[];
  /** When the cycle search stopped before looking everywhere. */
  searchIncomplete: boolean;
  elapsedMs: number;
}

const defaultSearchStates = 20_000_000;

/** Checks transactions in invocation order (ids 0..n-1) against a consistency model. */
export function checkTransactions(transactions: readonly Transaction[], options: ElleOptions): ElleReport {
  const started = performance.now();
  const strict = needsRealTime(options.consistency);
  const completions = strict ? completionOrder(transactions) : new Int32Array(0);
  // Nodes: the transactions, then (strict) one real-time barrier per completion.
  // Up to about two dependency edges per micro-operation, and four order edges per transaction.
  let microOps = 0;
  for (const t of transactions) microOps += t.ops.length;
  const builder = new GraphBuilder(transactions.length + completions.length, microOps * 2 + (strict ? transactions.length * 4 : 0) + 1024);
  const analysis: Analysis = options.workload === "list-append" ? analyzeListAppend(transactions, builder) : analyzeRwRegister(transactions, builder);
  if (strict) {
    addProcessOrder(transactions, builder);
    addRealTimeOrder(transactions, completions, builder);
  }
  const graph = builder.build();
  const budget: SearchBudget = { states: options.searchStates ?? defaultSearchStates, exhausted: false };
  // Start edges are dependencies, between transactions (never barriers).
  const reach = (slot: number) => {
    const target = transactions[graph.targets[slot]!]!;
    return (target.completeIndex ?? Infinity) - transactions[graph.sourceOf(slot)]!.invokeIndex;
  };
  let finder: CycleFinder | undefined;
  const cycles = () => (finder ??= new CycleFinder(graph, budget, reach, transactions.length));
  const findings = [...analysis.findings];

  const dependency = stronglyConnected(graph, DEPENDENCIES);
  for (let c = 0; c < dependency.members.length; c++) {
    for (const { name, cycle } of cycles().find(dependency, c, dependencySearches)) findings.push(cycleFinding(name, cycle, graph, analysis, transactions));
  }
  let everyOrder = 0;
  if (strict) {
    const components = stronglyConnected(graph, EVERY_EDGE);
    everyOrder = components.members.length;
    for (let c = 0; c < components.members.length; c++) {
      for (const { name, cycle } of cycles().find(components, c, sessionSearches)) findings.push(cycleFinding(name, cycle, graph, analysis, transactions));
    }
  }

  const counts: Record<string, number> = {};
  for (const finding of findings) counts[finding.name] = (counts[finding.name] ?? 0) + 1;
  const ruledOut = [...new Set(findings.flatMap((finding) => modelsRuledOut(finding.name)))];
  const violated = ruledOut.includes(options.consistency);
  const verdict = violated ? "invalid" : budget.exhausted ? "unknown" : "valid";
  const tally = (outcome: Transaction["outcome"]) => transactions.filter((t) => t.outcome === outcome).length;
  return {
    verdict,
    consistency: options.consistency,
    transactions: { total: transactions.length, ok: tally("ok"), info: tally("info"), fail: tally("fail") },
    edges: graph.countKinds(),
    components: { dependency: dependency.members.length, everyOrder },
    counts,
    ruledOut,
    findings: findings.sort((a, b) => shortestFirst(a, b, transactions)),
    searchIncomplete: budget.exhausted,
    elapsedMs: performance.now() - started,
  };
}

/** Committed transactions by the history position of their completion (a counting sort: positions are small integers). */
function completionOrder(transactions: readonly Transaction[]): Int32Array {
  let last = -1;
  let count = 0;
  for (const t of transactions) {
    if (t.outcome !== "ok" || t.completeIndex === undefined) continue;
    count++;
    if (t.completeIndex > last) last = t.completeIndex;
  }
  const byPosition = new Int32Array(last + 1).fill(-1);
  for (const t of transactions) if (t.outcome === "ok" && t.completeIndex !== undefined) byPosition[t.completeIndex] = t.id;
  const order = new Int32Array(count);
  let next = 0;
  for (let position = 0; position <= last; position++) if (byPosition[position] !== -1) order[next++] = byPosition[position]!;
  return order;
}

/** Anomalies reads show on their own, then cycles, shortest first (the easiest to follow), then by time. */
function shortestFirst(a: Finding, b: Finding, transactions: readonly Transaction[]): number {
  const length = (finding: Finding) => finding.steps?.length ?? 0;
  const first = (finding: Finding) => Math.min(...finding.txns.map((id) => transactions[id]!.invokeIndex));
  return length(a) - length(b) || first(a) - first(b);
}

function cycleFinding(name: string, cycle: Cycle, graph: Graph, analysis: Analysis, transactions: readonly Transaction[]): Finding {
  const steps = storySteps(cycle.map((slot) => graph.edge(slot))).map((edge) => ({
    from: edge.from,
    to: edge.to,
    kind: edgeNames[edge.kind],
    why: because(edge, analysis, transactions),
  }));
  const sentences = steps.map((step) => `${txnName(transactions[step.from]!)} < ${txnName(transactions[step.to]!)} because ${step.why}`);
  return { name, txns: steps.map((step) => step.from), explanation: `${sentences.join("; ")}; a contradiction`, steps };
}

/**
 * The cycle as a person reads it: from a dependency edge, with each run of real-time and process edges
 * told as one step (real time is transitive: if A completed before B began and B before C, A completed
 * before C began). One client's order stays a process step when it is alone.
 */
function storySteps(edges: Edge[]): Edge[] {
  const isOrder = (edge: Edge) => edge.kind === PROCESS || edge.kind === REALTIME;
  const first = edges.findIndex((edge) => !isOrder(edge));
  const rotated = first <= 0 ? edges : [...edges.slice(first), ...edges.slice(0, first)];
  const steps: Edge[] = [];
  for (const edge of rotated) {
    const last = steps[steps.length - 1];
    if (last && isOrder(last) && isOrder(edge)) {
      const sameProcess = last.kind === PROCESS && edge.kind === PROCESS;
      steps[steps.length - 1] = { from: last.from, to: edge.to, kind: sameProcess ? PROCESS : REALTIME, fromOp: -1, toOp: -1 };
    } else {
      steps.push(edge);
    }
  }
  return steps;
}

function because(edge: Edge, analysis: Analysis, transactions: readonly Transaction[]): string {
  const from = transactions[edge.from]!;
  const to = transactions[edge.to]!;
  const kind: EdgeKind = edge.kind;
  if (kind === PROCESS) return `process ${to.process} ran ${txnName(to)} after ${txnName(from)}`;
  if (kind === REALTIME) return `${txnName(to)} began (${seconds(to.call)}) after ${txnName(from)} completed (${seconds(from.ret)})`;
  return analysis.explain(edge);
}

function seconds(nanoseconds: number): string {
  return `${(nanoseconds / 1e9).toFixed(3)} s`;
}
