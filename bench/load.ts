// npm run bench:load: the most acknowledged writes per second the harness's workloads sustain on a 3-member cluster, beside etcd's own benchmark tool on the same cluster in the same run.
//
// etcd's benchmark tool (`benchmark put`, built from etcd's Go module) puts values of the same size
// through the same client proxies with as many clients and connections as the harness has client
// processes (each has a connection of its own). The harness side is recorded as in any run: every
// operation in the history, nothing retried behind its back. Writes counted are acknowledged puts,
// writes and compare-and-sets that wrote. BENCH_SECONDS (15) per measurement; BENCH_CLIENTS
// ("16,32,64"): the concurrency levels tried, the best of each side reported; BENCH_WORKLOADS
// ("register,register-writes"): register is the default mix (40% reads, 30% writes, 30% compare-and-set),
// register-writes the same workload with only writes (readShare 0, casShare 0), as `benchmark put` does.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { pairOperations } from "../checkers/operations.ts";
import { startCluster } from "../harness/cluster/docker/docker-cluster.ts";
import { defaultEtcdVersion, prepareRunEnvironment } from "../harness/images/run-images.ts";
import type { HistoryEntry } from "../record/history/entry.ts";
import { runWorkload } from "../workloads/run-workload.ts";
import { etcdBenchmarkTool } from "./etcd-benchmark-tool.ts";

const run = promisify(execFile);
const seconds = Number(process.env["BENCH_SECONDS"] ?? 15);
const levels = (process.env["BENCH_CLIENTS"] ?? "16,32,64,128").split(",").map(Number);
const mixes = (process.env["BENCH_WORKLOADS"] ?? "register,register-writes").split(",");
const say = (line: string): void => console.log(line);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-load-"));

const tool = await etcdBenchmarkTool(say);
const version = await defaultEtcdVersion();
await prepareRunEnvironment([version], say);
await using cluster = await startCluster({ size: 3, etcdVersion: version });
const endpoints = cluster.names.map((name) => cluster.clientEndpoint(name));
say(`etcd ${version}, 3 members, ${os.cpus().length} cores; ${seconds}s per measurement through the client proxies ${endpoints.join(",")}`);

/** Acknowledged writes per second of a recorded history, and every operation's. */
function throughput(history: HistoryEntry[], ms: number): { writes: number; operations: number; info: number } {
  const ops = pairOperations(history);
  const acknowledged = ops.filter((op) => op.type === "ok");
  const writes = acknowledged.filter((op) => op.f === "write" || op.f === "put" || (op.f === "cas" && op.complete?.value !== false)).length;
  return { writes: writes / (ms / 1000), operations: acknowledged.length / (ms / 1000), info: ops.filter((op) => op.type === "info").length };
}

async function harnessSide(mix: string, clients: number): Promise<{ writes: number; operations: number; info: number }> {
  const timeMs = seconds * 1000;
  const settings = { rate: 100_000, concurrency: clients, keys: 1000, ...(mix === "register-writes" ? { readShare: 0, casShare: 0 } : {}) };
  const recorded = await runWorkload(cluster, { workload: "register", timeMs, settings, file: path.join(tmp, `${mix}-${clients}.jsonl`) });
  return throughput(recorded.history, timeMs);
}

async function toolSide(clients: number, valueSize: number): Promise<number> {
  // As many puts as the harness could do in the time at most, and a rate cap of none: it ends when done.
  const total = 3000 * seconds;
  const args = ["put", `--endpoints=${endpoints.join(",")}`, `--clients=${clients}`, `--conns=${clients}`, `--total=${total}`, `--val-size=${valueSize}`, "--key-size=8", "--key-space-size=1000", "--sequential-keys=false"];
  const { stdout } = await run(tool, args, { maxBuffer: 64 << 20, timeout: 600_000 });
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1];
  if (!rate) throw new Error(`benchmark put printed no Requests/sec: ${stdout.slice(-400)}`);
  return Number(rate);
}

// The register workload writes unique counters as values: a few bytes.
const valueSize = 6;
const rows: Array<{ clients: number; tool: number; sides: Record<string, { writes: number; operations: number; info: number }> }> = [];
for (const clients of levels) {
  const tool = await toolSide(clients, valueSize);
  const sides: Record<string, { writes: number; operations: number; info: number }> = {};
  for (const mix of mixes) sides[mix] = await harnessSide(mix, clients);
  rows.push({ clients, tool, sides });
  say(`${clients} clients: benchmark put ${tool.toFixed(0)} puts/s; ${mixes.map((mix) => `${mix} ${sides[mix]!.writes.toFixed(0)} writes/s (${sides[mix]!.operations.toFixed(0)} ops/s, ${sides[mix]!.info} info)`).join("; ")}`);
}
const bestTool = Math.max(...rows.map((row) => row.tool));
say("");
say(`| clients (= connections) | benchmark put (puts/s) | ${mixes.map((mix) => `${mix} (writes/s)`).join(" | ")} |`);
say(`| --- | --- | ${mixes.map(() => "---").join(" | ")} |`);
for (const row of rows) say(`| ${row.clients} | ${row.tool.toFixed(0)} | ${mixes.map((mix) => `${row.sides[mix]!.writes.toFixed(0)} (${row.sides[mix]!.operations.toFixed(0)} ops/s)`).join(" | ")} |`);
for (const mix of mixes) {
  const best = Math.max(...rows.map((row) => row.sides[mix]!.writes));
  say(`${mix}: best ${best.toFixed(0)} acknowledged writes/s against benchmark put's best ${bestTool.toFixed(0)} puts/s: ${(best / bestTool).toFixed(2)}x`);
}
fs.rmSync(tmp, { recursive: true, force: true });
