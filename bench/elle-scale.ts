// One scale run of a transactional check, in its own process so its peak memory is its own.
//   node bench/elle-scale.ts generate <transactions> <file> [seed]   writes a generated list-append history.jsonl
//   node bench/elle-scale.ts elle <file>                              streams it to transactions and checks them
//   node bench/elle-scale.ts etcd-model <transactions> [seed]         the linearizability search on the etcd txns
// The last two print one JSON line.
import { closeSync, openSync, readSync, writeSync } from "node:fs";
import type { HistoryEntry } from "../record/history/entry.ts";
import { checkTransactions } from "../checkers/elle/check.ts";
import { transactionsFromHistory } from "../checkers/elle/from-history.ts";
import { checkHistory, createModel } from "../checkers/linearizability/index.ts";
import { listAppendHistory } from "./elle-history.ts";

const [mode = "elle", ...args] = process.argv.slice(2);
const peakRssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);
const generate = (transactions: number, seed: number, form: "jepsen" | "etcd") =>
  listAppendHistory({ transactions, ops: 4, clients: 32, infoRate: 0.01, activeKeys: 10, seed, form });

/** The file's lines as history entries, read in chunks: the history is never held whole. */
function* jsonLines(path: string): Generator<HistoryEntry> {
  const file = openSync(path, "r");
  const chunk = Buffer.alloc(1 << 20);
  let carry = "";
  try {
    for (let read = readSync(file, chunk); read > 0; read = readSync(file, chunk)) {
      const lines = (carry + chunk.toString("utf8", 0, read)).split("\n");
      carry = lines.pop()!;
      for (const line of lines) if (line !== "") yield JSON.parse(line) as HistoryEntry;
    }
    if (carry !== "") yield JSON.parse(carry) as HistoryEntry;
  } finally {
    closeSync(file);
  }
}

if (mode === "generate") {
  const [size = "10000", path = "history.jsonl", seed = "1"] = args;
  const file = openSync(path, "w");
  let batch: string[] = [];
  for (const entry of generate(Number(size), Number(seed), "jepsen")) {
    batch.push(JSON.stringify(entry));
    if (batch.length === 10_000) {
      writeSync(file, batch.join("\n") + "\n");
      batch = [];
    }
  }
  if (batch.length > 0) writeSync(file, batch.join("\n") + "\n");
  closeSync(file);
} else if (mode === "elle") {
  const [path = "history.jsonl"] = args;
  const readStarted = performance.now();
  const parsed = transactionsFromHistory(jsonLines(path), "list-append");
  const readMs = performance.now() - readStarted;
  const report = checkTransactions(parsed.transactions, { workload: "list-append", consistency: "strict-serializable" });
  const line = { checker: mode, transactions: parsed.transactions.length, verdict: report.verdict, readMs: Math.round(readMs), checkMs: Math.round(report.elapsedMs), totalMs: Math.round(readMs + report.elapsedMs) };
  process.stdout.write(JSON.stringify({ ...line, peakRssMiB: peakRssMiB() }) + "\n");
} else {
  const [size = "10000", seed = "1"] = args;
  const transactions = Number(size);
  const history = generate(transactions, Number(seed), "etcd");
  const historyRssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
  const result = checkHistory(history, createModel("etcd"), { timeoutMs: 120_000 });
  const unknown = result.partitions.find((partition) => partition.verdict === "unknown");
  const reason = unknown && unknown.verdict === "unknown" ? { reason: unknown.reason.message } : {};
  const line = { checker: mode, transactions, verdict: result.verdict, ...reason, checkMs: Math.round(result.elapsedMs), totalMs: Math.round(result.elapsedMs) };
  process.stdout.write(JSON.stringify({ ...line, historyRssMiB, peakRssMiB: peakRssMiB() }) + "\n");
}
