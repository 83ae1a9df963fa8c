// Entry points of the linearizability checker: split a history into partitions and search each one.
import type { HistoryEntry } from "../../record/history/entry.ts";
import { formatDurationMs } from "../../record/duration.ts";
import type { AnyModel, AnyOperation, HistoryModel, Model, Operation } from "./model.ts";
import { operationsOfHistory } from "./operations.ts";
import { worstVerdict } from "../../record/check-result.ts";
import { type Counterexample, type LinearizabilityResult, type OperationView, type PartitionResult, type UnknownReason } from "./result.ts";
import { OrderedSearch } from "./ordered-search.ts";
import { PartitionSearch, type Deepest, type Search, type SearchBudget, type SearchOutcome } from "./search.ts";

export interface CheckOptions {
  /** Wall-clock budget for the whole check; partitions not finished by then are unknown. Default: none. */
  timeoutMs?: number;
  /** Most configurations one partition may remember (bounds memory); past it the partition is unknown. */
  maxConfigurations?: number;
  /** Most bytes one partition's remembered configurations may take; default 1 GiB. */
  maxCacheBytes?: number;
  /**
   * Stop as soon as one partition is invalid (the verdict cannot change); the partitions not finished are
   * reported unknown with reason "skipped". Default true; false finishes every partition (within budget).
   */
  stopOnInvalid?: boolean;
}

const defaultMaxConfigurations = 5_000_000;

/** Checks a recorded history against a model; throws HistoryShapeError when an entry has the wrong shape. */
export function checkHistory<S, I, O>(
  entries: readonly HistoryEntry[],
  model: HistoryModel<S, I, O>,
  options: CheckOptions = {},
): LinearizabilityResult {
  const started = performance.now();
  const { operations, ignored, dropped, uncertain } = operationsOfHistory(entries, model);
  model.learn?.(entries);
  const result = checkOperations(operations, model, { ...options, startedAt: started });
  return { ...result, ignored, dropped, uncertain };
}

/** Checks operations already paired (see operationsOfHistory for the rules on uncertain outcomes). */
export function checkOperations<S, I, O>(
  operations: readonly Operation<I, O>[],
  model: Model<S, I, O>,
  options: CheckOptions & { startedAt?: number } = {},
): LinearizabilityResult {
  const started = options.startedAt ?? performance.now();
  const timeoutMs = options.timeoutMs ?? Infinity;
  const maxConfigurations = options.maxConfigurations ?? defaultMaxConfigurations;
  const anyModel = model as AnyModel;
  const settled = model.settle?.(operations);
  const kept = settled?.operations ?? operations;
  model.prepare?.(kept);
  let parts = (model.partition ? model.partition(kept) : [kept.slice()]) as AnyOperation[][];
  if (anyModel.withoutUnobservable) parts = parts.map((part) => anyModel.withoutUnobservable!(part));
  const budget = { deadline: started + timeoutMs, maxConfigurations, maxCacheBytes: options.maxCacheBytes ?? 2 ** 30, timeoutMs };
  const results = schedule(parts, anyModel, budget, options.stopOnInvalid ?? true);
  return {
    checker: "linearizability",
    model: model.name,
    verdict: worstVerdict(results.map((p) => p.verdict)),
    operations: operations.length,
    uncertain: operations.reduce((n, op) => n + (op.output === undefined ? 1 : 0), 0),
    dropped: 0,
    ignored: 0,
    partitions: results,
    elapsedMs: performance.now() - started,
    ...(settled ? { settled: { placed: settled.placed, dropped: settled.dropped, unread: settled.unread ?? 0 } } : {}),
  };
}

interface Budget extends SearchBudget {
  timeoutMs: number;
}

/**
 * Searches all partitions in rounds, each getting a slice of iterations that doubles every round, so a
 * partition that is quick to decide is not stuck behind a hard one (as Porcupine's goroutines race).
 */
function schedule(parts: AnyOperation[][], model: AnyModel, budget: Budget, stopOnInvalid: boolean): PartitionResult[] {
  const order = parts.map((_, i) => i).sort((a, b) => parts[a]!.length - parts[b]!.length);
  const results: (PartitionResult | undefined)[] = new Array(parts.length);
  const searches: (Search | undefined)[] = new Array(parts.length);
  const elapsed = new Float64Array(parts.length);
  let active = order;
  let stopped: UnknownReason | undefined;
  for (let slice = 1 << 12; active.length > 0 && stopped === undefined; slice = Math.min(slice * 2, 1 << 22)) {
    const still: number[] = [];
    for (const i of active) {
      if (stopped !== undefined) {
        still.push(i);
        continue;
      }
      const part = parts[i]!;
      const base = { label: labelOf(part), operations: part.length };
      const began = performance.now();
      try {
        const search = (searches[i] ??= searchOf(part, model));
        const outcome = search.run(slice, budget);
        elapsed[i] = elapsed[i]! + performance.now() - began;
        if (outcome === undefined) {
          still.push(i);
          continue;
        }
        searches[i] = undefined;
        results[i] = resultOf(part, model, budget, base, outcome, elapsed[i]!);
        if (outcome.kind === "invalid" && stopOnInvalid) stopped = { kind: "skipped", message: "not checked: another partition is already invalid" };
        if (outcome.kind === "unknown" && outcome.reason === "timeout") stopped = timeoutReason(budget, "not checked: ");
      } catch (error) {
        // An exception inside a checker is never a pass.
        searches[i] = undefined;
        const message = `model ${model.name} failed: ${error instanceof Error ? error.message : String(error)}`;
        results[i] = { ...base, configurations: 0, elapsedMs: elapsed[i]! + performance.now() - began, verdict: "unknown", reason: { kind: "error", message } };
      }
    }
    active = still;
  }
  for (const i of active) {
    const part = parts[i]!;
    results[i] = {
      label: labelOf(part),
      operations: part.length,
      configurations: searches[i]?.configurations ?? 0,
      elapsedMs: elapsed[i]!,
      verdict: "unknown",
      reason: stopped!,
    };
  }
  return results as PartitionResult[];
}

function timeoutReason(budget: Budget, prefix = ""): UnknownReason {
  return { kind: "timeout", limitMs: budget.timeoutMs, message: `${prefix}search not finished within the ${formatDurationMs(budget.timeoutMs)} budget` };
}

function resultOf(
  part: AnyOperation[],
  model: AnyModel,
  budget: Budget,
  base: { label: string; operations: number },
  outcome: SearchOutcome,
  elapsedMs: number,
): PartitionResult {
  const done = { ...base, configurations: outcome.configurations, elapsedMs };
  if (outcome.kind === "valid") return { ...done, verdict: "valid" };
  if (outcome.kind === "invalid") return { ...done, verdict: "invalid", counterexample: counterexampleOf(part, model, outcome.deepest) };
  if (outcome.reason === "timeout") return { ...done, verdict: "unknown", reason: timeoutReason(budget) };
  const remembered = `${outcome.configurations} configurations remembered (${formatBytes(outcome.bytes)})`;
  const passed =
    outcome.limit === "configurations"
      ? `${remembered}, more than the ${budget.maxConfigurations} allowed`
      : outcome.limit === "bytes"
        ? `${remembered}, more than the ${formatBytes(budget.maxCacheBytes)} allowed`
        : `the JavaScript heap past 80% of its ${formatBytes(outcome.heapLimitBytes)} limit, ${remembered}`;
  const message = `search not finished within its memory budget: ${passed}`;
  return { ...done, verdict: "unknown", reason: { kind: "budget", limit: outcome.limit, maxConfigurations: budget.maxConfigurations, message } };
}

/** The ordered search when the model ranks every known operation of the partition, else the general one. */
function searchOf(part: AnyOperation[], model: AnyModel): Search {
  return OrderedSearch.of(part, model) ?? new PartitionSearch(part, model);
}

function formatBytes(bytes: number): string {
  const [unit, size] = bytes >= 2 ** 30 ? ["GiB", 2 ** 30] : bytes >= 2 ** 20 ? ["MiB", 2 ** 20] : ["KiB", 2 ** 10];
  return `${Number((bytes / size).toFixed(1))} ${unit}`;
}

function labelOf(part: readonly AnyOperation[]): string {
  const keys = new Set<string>();
  for (const op of part) {
    if (op.key !== undefined) keys.add(op.key);
    if (keys.size > 3) return [...keys].slice(0, 3).join(",") + ",...";
  }
  return [...keys].join(",");
}

function counterexampleOf(part: readonly AnyOperation[], model: AnyModel, deepest: Deepest): Counterexample {
  const view = (op: AnyOperation) => viewOf(op, model);
  const blocked = part[deepest.blocked]!;
  // Intervals are closed: operations overlapping the blocked one, in any order, could have gone around it.
  const concurrent = part.filter((op) => op !== blocked && op.call <= blocked.ret && blocked.call <= op.ret);
  return {
    blocked: view(blocked),
    prefix: deepest.prefix.map((i) => view(part[i]!)),
    stateBefore: model.describeState(deepest.state),
    concurrent: concurrent.map(view),
  };
}

export function viewOf(op: AnyOperation, model: AnyModel): OperationView {
  return {
    id: op.id,
    process: op.process,
    key: op.key,
    f: op.f,
    description: model.describeOperation(op.input, op.output),
    outcome: op.output === undefined ? "unknown" : "ok",
    call: op.call,
    ret: Number.isFinite(op.ret) ? op.ret : null,
    invokeIndex: op.invokeIndex,
    completeIndex: op.completeIndex ?? null,
  };
}
