// `npm run bench:checker`: times the linearizability checker on the reference histories and on generated
// histories at scale, and prints them beside the targets. Verdicts are checked against expected.tsv.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { checkHistory, createModel, guessModel } from "../checkers/linearizability/index.ts";
import { readHistoryFile, type HistoryFile } from "../record/history/history-file.ts";
import { referenceHistoriesDir } from "../test/support/reference-histories.ts";
import { watchLikeHistory } from "../test/support/linearizability/generators/watch-like.ts";

const root = `${referenceHistoriesDir()}/`;
const scaleScript = fileURLToPath(new URL("./checker-scale.ts", import.meta.url));
const quick = process.argv.includes("--quick");

interface Row {
  file: string;
  expected: string;
  verdict: string;
  ops: number;
  coldMs: number;
  warmMs: number;
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => x.toFixed(x < 10 ? 2 : 1).padStart(8);

function timeFile(file: string, history: HistoryFile, expected: string): Row {
  const model = () => createModel(guessModel(history.entries, history.format));
  const once = () => {
    const started = performance.now();
    const result = checkHistory(history.entries, model());
    return { ms: performance.now() - started, result };
  };
  const first = once();
  // Warm figures, as Go's testing.B reports them: repeat until about 200 ms or 50 runs.
  const runs: number[] = [];
  let spent = 0;
  while (runs.length < 3 || (runs.length < 50 && spent < 200)) {
    const t = once().ms;
    runs.push(t);
    spent += t;
  }
  return { file, expected, verdict: first.result.verdict, ops: first.result.operations + first.result.dropped, coldMs: first.ms, warmMs: median(runs) };
}

async function referenceRuns(): Promise<Row[]> {
  const expected = readFileSync(root + "expected.tsv", "utf8").trim().split("\n").slice(1).map((l) => l.split("\t") as [string, string]);
  const histories = new Map<string, HistoryFile>();
  const parseStarted = performance.now();
  for (const [file] of expected) histories.set(file, await readHistoryFile(root + file));
  const parseMs = performance.now() - parseStarted;
  // Cold: every file once, in order, in a fresh process (JIT warming up as it goes): what `harness check` sees.
  const rows = expected.map(([file, want]) => timeFile(file, histories.get(file)!, want));
  console.log(`reading and parsing all ${expected.length} files: ${parseMs.toFixed(1)} ms (not included below)\n`);
  console.log("file                              expected  verdict    ops   first ms  median ms");
  for (const r of rows) {
    const flag = (r.verdict === "valid" ? "ok" : r.verdict === "invalid" ? "illegal" : r.verdict) === r.expected ? "" : "   <-- WRONG VERDICT";
    console.log(`${r.file.padEnd(33)} ${r.expected.padEnd(9)} ${r.verdict.padEnd(8)} ${String(r.ops).padStart(5)} ${ms(r.coldMs)}  ${ms(r.warmMs)}${flag}`);
  }
  return rows;
}

function scaleRun(model: string, operations: number, keys: number): Record<string, unknown> {
  const out = execFileSync(process.execPath, ["--max-old-space-size=4096", scaleScript, model, String(operations), String(keys)], { encoding: "utf8" });
  return JSON.parse(out) as Record<string, unknown>;
}

/** One watch-workload-shaped etcd history (5 keys, 60 clients, 3000 ops/s, 1% info, 2 watchers) generated and checked. */
function watchLikeRun(operations: number): Record<string, unknown> {
  const generateStarted = performance.now();
  const entries = watchLikeHistory({ seed: 1, operations, infoRate: 0.01, readShare: 0.05 });
  const generateMs = performance.now() - generateStarted;
  const result = checkHistory(entries, createModel("etcd"), { timeoutMs: 120_000 });
  return {
    operations: result.operations,
    uncertain: result.uncertain,
    verdict: result.verdict,
    configurations: result.partitions.reduce((n, p) => n + p.configurations, 0),
    generateMs: Math.round(generateMs),
    checkMs: Math.round(result.elapsedMs),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

// A child of this bench: one watch-like history, printed as one JSON line, its peak memory its own.
if (process.argv[2] === "--watch-like") {
  process.stdout.write(JSON.stringify(watchLikeRun(Number(process.argv[3]))) + "\n");
  process.exit(0);
}

const rows = await referenceRuns();
const wrong = rows.filter((r) => (r.verdict === "valid" ? "ok" : r.verdict === "invalid" ? "illegal" : r.verdict) !== r.expected);
const jepsen = rows.filter((r) => r.file.startsWith("jepsen"));
const sum = (xs: Row[], f: (r: Row) => number) => xs.reduce((n, r) => n + f(r), 0);
const slowest = jepsen.slice().sort((a, b) => b.warmMs - a.warmMs).slice(0, 5);
const c50ok = rows.find((r) => r.file === "kv/c50-ok.txt")!;

console.log("\ntotals");
console.log(`  103 Jepsen etcd files: first run ${sum(jepsen, (r) => r.coldMs).toFixed(1)} ms, median per file summed ${sum(jepsen, (r) => r.warmMs).toFixed(1)} ms`);
console.log(`    slowest (median): ${slowest.map((r) => `${r.file.replace("jepsen-etcd/", "")} ${r.warmMs.toFixed(2)} ms`).join(", ")}`);
console.log(`  6 kv files: first run ${sum(rows.filter((r) => r.file.startsWith("kv")), (r) => r.coldMs).toFixed(1)} ms`);
console.log(`  wrong verdicts: ${wrong.length}${wrong.length ? " (" + wrong.map((r) => r.file).join(", ") + ")" : ""}`);

const scales: [string, number, number][] = quick
  ? [["register", 10_000, 100]]
  : [
      ["register", 10_000, 100],
      ["register", 100_000, 1000],
      ["register", 1_000_000, 1000],
      ["kv", 100_000, 1000],
      ["kv", 1_000_000, 1000],
      // Revisions are global: etcd histories that record them are one partition.
      ["etcd", 2_000, 100],
      ["etcd", 10_000, 100],
      ["etcd", 10_000, 1000],
    ];
console.log("\nscale runs on generated linearizable histories (32 clients, 1% info, 1% fail), each in its own process");
console.log("model      invoked   keys  partitions  verdict   generate ms   check ms  peak RSS MiB");
const results: Record<string, unknown>[] = [];
for (const [model, operations, keys] of scales) {
  const r = scaleRun(model, operations, keys);
  results.push(r);
  console.log(
    `${model.padEnd(9)} ${String(operations).padStart(8)} ${String(keys).padStart(6)} ${String(r.partitions).padStart(11)}  ${String(r.verdict).padEnd(8)} ${String(r.generateMs).padStart(12)} ${String(r.checkMs).padStart(10)} ${String(r.peakRssMiB).padStart(13)}`,
  );
}

// Revisions are the order: the search branches only where uncertain writes may go.
console.log("\netcd model on watch-workload-shaped histories (5 keys, 60 clients, 3000 ops/s, 1% info, 5% reads), each in its own process");
console.log("operations  uncertain  verdict   configurations  generate ms   check ms  peak RSS MiB");
const watchRuns: Record<string, unknown>[] = [];
for (const operations of quick ? [20_000] : [20_000, 200_000]) {
  const out = execFileSync(process.execPath, ["--max-old-space-size=4096", fileURLToPath(import.meta.url), "--watch-like", String(operations)], { encoding: "utf8" });
  const r = JSON.parse(out) as Record<string, unknown>;
  watchRuns.push(r);
  console.log(
    `${String(r.operations).padStart(10)} ${String(r.uncertain).padStart(10)}  ${String(r.verdict).padEnd(8)} ${String(r.configurations).padStart(15)} ${String(r.generateMs).padStart(12)} ${String(r.checkMs).padStart(10)} ${String(r.peakRssMiB).padStart(13)}`,
  );
}

const million = results.find((r) => r.model === "register" && (r.operations as number) > 900_000);
console.log("\ntargets");
console.log(`  Jepsen etcd total <= Porcupine on this machine (reference 310-380 ms): ${sum(jepsen, (r) => r.warmMs).toFixed(1)} ms median-summed, ${sum(jepsen, (r) => r.coldMs).toFixed(1)} ms first run`);
console.log(`  kv c50-ok <= 100 ms: ${c50ok.coldMs.toFixed(1)} ms first run, ${c50ok.warmMs.toFixed(1)} ms median`);
if (million) console.log(`  1M operations over 1000 keys <= 10 s and <= 2 GiB: ${million.checkMs} ms to check (+${million.generateMs} ms to generate), peak RSS ${million.peakRssMiB} MiB`);
const watch200k = watchRuns.find((r) => (r.operations as number) > 190_000);
if (watch200k) console.log(`  etcd model, 200k watch-workload operations at 3000 ops/s <= 10 s: ${watch200k.verdict} in ${watch200k.checkMs} ms (+${watch200k.generateMs} ms to generate)`);
if (wrong.length > 0 || watchRuns.some((r) => r.verdict !== "valid")) process.exitCode = 1;
