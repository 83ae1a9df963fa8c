// `npm run bench:elle`: the transactional checker on generated list-append histories of 10k, 100k and 1M transactions
// (4 micro-operations each, 32 clients, 1% uncertain), read from a history.jsonl as `harness check` would, and the
// etcd-model linearizability search on the same histories up to 100k as etcd txns, each in its own process; prints
// read and check time and peak memory beside the goals. ELLE_SIZES=10000,100000 narrows the sizes; ELLE_OLD=0
// leaves out the comparison.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("./elle-scale.ts", import.meta.url));
const sizes = (process.env["ELLE_SIZES"] ?? "10000,100000,1000000").split(",").map(Number);
const old = process.env["ELLE_OLD"] !== "0";
const goals: Record<number, string> = { 100000: "<= 1 s", 1000000: "<= 10 s, <= 2 GiB" };

interface Line {
  checker: string;
  transactions: number;
  verdict: string;
  reason?: string;
  readMs?: number;
  checkMs: number;
  totalMs: number;
  historyRssMiB?: number;
  peakRssMiB: number;
  fileMiB?: number;
}

function run(...args: string[]): Line | undefined {
  // A heap big enough for the 1M-transaction history generated in memory.
  const output = execFileSync(process.execPath, ["--max-old-space-size=8192", script, ...args], { encoding: "utf8", maxBuffer: 1 << 20 });
  const last = output.trim().split("\n").pop();
  return last ? (JSON.parse(last) as Line) : undefined;
}

const folder = mkdtempSync(join(tmpdir(), "bench-elle-"));
const rows: Line[] = [];
try {
  for (const size of sizes) {
    const file = join(folder, `history-${size}.jsonl`);
    run("generate", String(size), file);
    rows.push({ ...run("elle", file)!, fileMiB: Math.round(statSync(file).size / 2 ** 20) });
    rmSync(file);
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}
if (old) for (const size of sizes.filter((size) => size <= 100_000)) rows.push(run("etcd-model", String(size))!);

const pad = (text: string | number, width: number) => String(text).padStart(width);
console.log(`${"checker".padEnd(12)}${pad("txns", 10)}${pad("verdict", 9)}${pad("read ms", 9)}${pad("check ms", 10)}${pad("total ms", 10)}${pad("history MiB", 13)}${pad("peak MiB", 10)}  goal`);
for (const row of rows) {
  const goal = row.checker === "elle" ? (goals[row.transactions] ?? "") : (row.reason ?? "");
  console.log(
    `${row.checker.padEnd(12)}${pad(row.transactions, 10)}${pad(row.verdict, 9)}${pad(row.readMs ?? "-", 9)}${pad(row.checkMs, 10)}${pad(row.totalMs, 10)}${pad(row.fileMiB !== undefined ? `${row.fileMiB} file` : `${row.historyRssMiB} held`, 13)}${pad(row.peakRssMiB, 10)}  ${goal}`,
  );
}
console.log(
  "read: history.jsonl streamed to transactions (elle); check: graph, components and cycle search; history MiB: the file's size (elle, streamed) or the generated history held in memory before checking (etcd-model); peak MiB: the checking process's peak resident memory.",
);
