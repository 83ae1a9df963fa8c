// `harness check <file>...`: offline check of recorded histories (linearizability, or transactions by dependency cycles), one verdict per file.
import { Command, Option } from "commander";
import { checkTransactions, type ElleWorkload } from "../../checkers/elle/check.ts";
import { guessTransactional, transactionsFromHistory } from "../../checkers/elle/from-history.ts";
import { checkHistory, type LinearizabilityResult, type OperationView } from "../../checkers/linearizability/index.ts";
import { transactionalResult } from "../../checkers/transactional.ts";
import { consistencyModels, type ConsistencyModel } from "../../record/transactional.ts";
import { HistoryShapeError } from "../../checkers/linearizability/model.ts";
import { createModel, guessModel, modelNames, type ModelName } from "../../checkers/linearizability/models/index.ts";
import { formatDurationMs } from "../../record/duration.ts";
import { duration } from "./options.ts";
import { ExitCode } from "../../harness/exit-codes.ts";
import { HistoryFormatError } from "../../record/history/format-error.ts";
import { historyFormats, readHistoryFile, type HistoryFormat } from "../../record/history/history-file.ts";

/** Transactional checks: list-append and read-write register histories judged by dependency cycles. */
export const transactionalModels = ["elle-append", "elle-wr"] as const;
type TransactionalModel = (typeof transactionalModels)[number];
type CheckModel = ModelName | TransactionalModel;

export interface CheckCommandOptions {
  format: HistoryFormat | "auto";
  model: CheckModel | "auto";
  /** For elle-append and elle-wr: the consistency model judged (strict-serializable unless given). */
  consistency?: ConsistencyModel;
  json: boolean;
  timeoutMs: number;
  allPartitions: boolean;
}

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

const processOutput: Output = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
};

export function addCheckCommand(program: Command): void {
  program
    .command("check")
    .description("check recorded histories for linearizability, or transactions for anomalies (history.jsonl, Jepsen EDN or Jepsen log)")
    .argument("<file...>", "history files")
    .addOption(new Option("--format <format>", "input format").choices(["auto", ...historyFormats]).default("auto"))
    .addOption(new Option("--model <model>", "datatype model, or elle-append / elle-wr for transactions (auto: from the operations)").choices(["auto", ...modelNames, ...transactionalModels]).default("auto"))
    .addOption(new Option("--consistency <model>", "for elle-append and elle-wr: the consistency model to judge").choices([...consistencyModels]).default("strict-serializable"))
    .option("--json", "print one JSON object per file on stdout", false)
    .option("--timeout <duration>", "budget per file, e.g. 60s or 2m; past it the verdict is unknown", duration(1, 24 * 3_600_000), 60_000)
    .option("--all-partitions", "keep checking the other partitions after one is invalid", false)
    .action(async (files: string[], options: { format: HistoryFormat | "auto"; model: CheckModel | "auto"; consistency: ConsistencyModel; json: boolean; timeout: number; allPartitions: boolean }) => {
      process.exitCode = await runCheck(files, { ...options, timeoutMs: options.timeout });
    });
}

/** Checks each file and reports; returns the exit code (64 if any file is malformed, else 1, 2 or 0). */
export async function runCheck(files: readonly string[], options: CheckCommandOptions, output: Output = processOutput): Promise<number> {
  let malformed = false;
  const verdicts: string[] = [];
  for (const file of files) {
    const report = await checkFile(file, options, output);
    if ("error" in report) {
      malformed = true;
      output.err(report.error);
      continue;
    }
    verdicts.push(report.summary.verdict);
    if (options.json) output.out(JSON.stringify(report.summary));
    else for (const line of "consistency" in report.summary ? describeTransactional(report.summary) : describe(report.summary)) output.out(line);
  }
  if (malformed) return ExitCode.usage;
  if (verdicts.includes("invalid")) return ExitCode.invalid;
  if (verdicts.includes("unknown")) return ExitCode.unknown;
  return ExitCode.valid;
}

/** What `--json` prints for one file. */
export interface FileSummary {
  file: string;
  verdict: LinearizabilityResult["verdict"];
  /** Operations of the model's kinds in the file (invocations), dropped ones included. */
  ops: number;
  elapsedMs: number;
  format: HistoryFormat;
  model: string;
  /** Kept with an unknown outcome; dropped because they constrain nothing (fail, unknown reads); other kinds. */
  uncertain: number;
  dropped: number;
  ignored: number;
  partitions: { total: number; valid: number; invalid: number; unknown: number };
  /** Each invalid partition: the operation that cannot be placed and what surrounds it. */
  invalid: {
    partition: string;
    blocked: OperationView;
    stateBefore: string;
    concurrent: OperationView[];
    prefixLength: number;
    /** The end of the longest linearizable prefix (its last 10 operations). */
    prefixTail: OperationView[];
  }[];
  unknown: { partition: string; reason: string; message: string }[];
}

/** What `--json` prints for a file checked with elle-append or elle-wr. */
export interface TransactionalFileSummary {
  file: string;
  verdict: LinearizabilityResult["verdict"];
  format: HistoryFormat;
  model: TransactionalModel;
  consistency: ConsistencyModel;
  elapsedMs: number;
  transactions: { total: number; ok: number; info: number; fail: number };
  /** Every anomaly class found, with how many; which models they rule out; those the model allows. */
  counts: Record<string, number>;
  ruledOut: ConsistencyModel[];
  allowed: string[];
  /** Violations of the model: class, explanation, and the history indexes of the transactions' invocations. */
  anomalies: { kind: string; explanation: string; ops: number[] }[];
}

async function checkFile(file: string, options: CheckCommandOptions, output: Output): Promise<{ summary: FileSummary | TransactionalFileSummary } | { error: string }> {
  const started = performance.now();
  let history;
  try {
    history = await readHistoryFile(file, options.format);
  } catch (error) {
    if (error instanceof HistoryFormatError) return { error: `${file}:${error.line}: ${error.message}` };
    return { error: `${file}: cannot read: ${(error as Error).message}` };
  }
  if (history.cutOff) output.err(`harness: ${file}:${history.cutOff.line}: ${history.cutOff.message}`);
  const transactional = options.model === "auto" ? guessTransactional(history.entries) : options.model.startsWith("elle-") ? options.model : undefined;
  if (transactional) {
    const workload: ElleWorkload = transactional === "elle-append" ? "list-append" : "rw-register";
    let parsed;
    try {
      parsed = transactionsFromHistory(history.entries, workload);
    } catch (error) {
      if (!(error instanceof HistoryShapeError)) throw error;
      const line = history.lines[history.entries.indexOf(error.entry)] ?? 0;
      return { error: `${file}:${line}: ${error.message} (${transactional})` };
    }
    const report = checkTransactions(parsed.transactions, { workload, consistency: options.consistency ?? "strict-serializable" });
    const result = transactionalResult(report, parsed.transactions, parsed.ignored, workload);
    return {
      summary: {
        file,
        verdict: result.verdict,
        format: history.format,
        model: transactional as TransactionalModel,
        consistency: result.consistency,
        elapsedMs: Math.round((performance.now() - started) * 100) / 100,
        transactions: result.transactions,
        counts: result.counts,
        ruledOut: result.ruledOut,
        allowed: result.allowed,
        anomalies: result.anomalies.map(({ kind, explanation, ops }) => ({ kind, explanation, ops })),
      },
    };
  }
  const modelName = options.model === "auto" ? guessModel(history.entries, history.format) : (options.model as ModelName);
  let result: LinearizabilityResult;
  try {
    result = checkHistory(history.entries, createModel(modelName), { timeoutMs: options.timeoutMs, stopOnInvalid: !options.allPartitions });
  } catch (error) {
    if (!(error instanceof HistoryShapeError)) throw error;
    const line = history.lines[history.entries.indexOf(error.entry)] ?? 0;
    return { error: `${file}:${line}: ${error.message} (${modelName} model)` };
  }
  const count = (verdict: string) => result.partitions.filter((p) => p.verdict === verdict).length;
  const summary: FileSummary = {
    file,
    verdict: result.verdict,
    ops: result.operations + result.dropped,
    elapsedMs: Math.round((performance.now() - started) * 100) / 100,
    format: history.format,
    model: result.model,
    uncertain: result.uncertain,
    dropped: result.dropped,
    ignored: result.ignored,
    partitions: { total: result.partitions.length, valid: count("valid"), invalid: count("invalid"), unknown: count("unknown") },
    invalid: [],
    unknown: [],
  };
  for (const p of result.partitions) {
    if (p.verdict === "invalid") {
      const { blocked, stateBefore, concurrent, prefix } = p.counterexample;
      summary.invalid.push({ partition: p.label, blocked, stateBefore, concurrent, prefixLength: prefix.length, prefixTail: prefix.slice(-10) });
    } else if (p.verdict === "unknown" && p.reason.kind !== "skipped") {
      summary.unknown.push({ partition: p.label, reason: p.reason.kind, message: p.reason.message });
    }
  }
  return { summary };
}

/** Anomalies printed per file before "and N more". */
const anomaliesPrinted = 5;

function describeTransactional(s: TransactionalFileSummary): string[] {
  const t = s.transactions;
  const lines = [`${s.file}: ${s.verdict} (${s.model}, ${s.consistency}, ${t.total} transactions, ${t.info} uncertain, ${formatDurationMs(s.elapsedMs)})`];
  for (const anomaly of s.anomalies.slice(0, anomaliesPrinted)) lines.push(`  ${anomaly.kind}: ${anomaly.explanation}`);
  if (s.anomalies.length > anomaliesPrinted) lines.push(`  and ${s.anomalies.length - anomaliesPrinted} more (--json lists them all)`);
  if (s.ruledOut.length > 0) lines.push(`  rules out: ${s.ruledOut.join(", ")}`);
  if (s.allowed.length > 0) lines.push(`  also found, allowed by ${s.consistency}: ${s.allowed.join(", ")}`);
  return lines;
}

function describe(s: FileSummary): string[] {
  const parts = s.partitions.total === 1 ? "" : `, ${s.partitions.total} partitions`;
  const lines = [`${s.file}: ${s.verdict} (${s.model} model, ${s.ops} operations${parts}, ${formatDurationMs(s.elapsedMs)})`];
  for (const bad of s.invalid) {
    const where = bad.partition === "" ? "" : ` [key ${bad.partition}]`;
    const op = bad.blocked;
    lines.push(`  cannot linearize ${op.description}${where} (process ${op.process}, history index ${op.invokeIndex}..${op.completeIndex ?? "?"})`);
    lines.push(`  after a linearizable prefix of ${bad.prefixLength} operations, in state ${bad.stateBefore}`);
    if (bad.concurrent.length > 0) lines.push(`  concurrent: ${bad.concurrent.map((c) => c.description).join("; ")}`);
  }
  for (const u of s.unknown) lines.push(`  unknown${u.partition === "" ? "" : ` [key ${u.partition}]`}: ${u.message}`);
  return lines;
}
