// One scale run of a transactional check on a generated list-append history, in its own process so its peak memory
// is its own: `node bench/elle-scale.ts <elle|etcd-model> <transactions> [seed]`; prints one JSON line.
import { checkTransactions } from "../checkers/elle/check.ts";
import { transactionsFromHistory } from "../checkers/elle/from-history.ts";
import { checkHistory, createModel } from "../checkers/linearizability/index.ts";
import { listAppendHistory } from "./elle-history.ts";

const [checker = "elle", size = "10000", seed = "1"] = process.argv.slice(2);
const transactions = Number(size);

const generateStarted = performance.now();
const history = listAppendHistory({ transactions, ops: 4, clients: 32, infoRate: 0.01, activeKeys: 10, seed: Number(seed), form: checker === "elle" ? "jepsen" : "etcd" });
const generateMs = performance.now() - generateStarted;
const rssBeforeMiB = process.memoryUsage().rss / 2 ** 20;

let line: Record<string, unknown>;
if (checker === "elle") {
  const readStarted = performance.now();
  const parsed = transactionsFromHistory(history, "list-append");
  const readMs = performance.now() - readStarted;
  const report = checkTransactions(parsed.transactions, { workload: "list-append", consistency: "strict-serializable" });
  line = { checker, transactions, verdict: report.verdict, edges: Object.values(report.edges).reduce((a, b) => a + b, 0), readMs: Math.round(readMs), checkMs: Math.round(report.elapsedMs), totalMs: Math.round(readMs + report.elapsedMs) };
} else {
  const result = checkHistory(history, createModel("etcd"), { timeoutMs: 120_000 });
  const unknown = result.partitions.find((partition) => partition.verdict === "unknown");
  line = { checker, transactions, verdict: result.verdict, ...(unknown && unknown.verdict === "unknown" ? { reason: unknown.reason.message } : {}), checkMs: Math.round(result.elapsedMs), totalMs: Math.round(result.elapsedMs) };
}
process.stdout.write(JSON.stringify({ ...line, generateMs: Math.round(generateMs), historyRssMiB: Math.round(rssBeforeMiB), peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }) + "\n");
