// npm run bench:workload: what recording costs (recorded puts/s against a raw etcd3 put loop on the same
// cluster and concurrency), and the harness's memory over a long recorded run (BENCH_MEMORY_MINUTES, 10).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Etcd3 } from "etcd3";
import type { Cluster } from "../harness/cluster/backend.ts";
import { startCluster } from "../harness/cluster/docker/docker-cluster.ts";
import { ClientPauses } from "../harness/clients/client-pauses.ts";
import { deadline } from "../harness/clients/etcd-client.ts";
import { RunClock } from "../harness/history/clock.ts";
import { ProcessIds } from "../harness/history/process-ids.ts";
import { HistoryRecorder } from "../harness/history/recorder.ts";
import { defaultEtcdVersion, prepareRunEnvironment } from "../harness/images/run-images.ts";
import { randomStream } from "../harness/random.ts";
import { defaultWorkloadSettings } from "../record/settings.ts";
import { ClientPool, type Invocation } from "../workloads/client-pool.ts";
import { runWorkload } from "../workloads/run-workload.ts";

const concurrency = Number(process.env["BENCH_CONCURRENCY"] ?? 6);
const seconds = Number(process.env["BENCH_SECONDS"] ?? 10);
const rounds = Number(process.env["BENCH_ROUNDS"] ?? 3);
const memoryMinutes = Number(process.env["BENCH_MEMORY_MINUTES"] ?? 10);
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-workload-"));

await prepareRunEnvironment([await defaultEtcdVersion()], console.log);
const cluster = await startCluster({ size: 3, etcdVersion: await defaultEtcdVersion() });
console.log(`etcd ${cluster.spec.etcdVersion}, 3 members, ${concurrency} clients through the client proxies, ${seconds}s per round, ${rounds} rounds`);

async function rawPutLoop(cluster: Cluster, prefix: string): Promise<number> {
  const clients: Etcd3[] = Array.from({ length: concurrency }, (_, index) => cluster.client(cluster.names[index % cluster.names.length]!));
  let done = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    clients.map(async (client, index) => {
      for (let i = 0; performance.now() < until; i++) {
        await client.kv.put({ key: Buffer.from(`${prefix}${index}`), value: Buffer.from(String(i)) }, deadline(1000)).catch(() => undefined);
        done++;
      }
    }),
  );
  for (const client of clients) client.close();
  return done / seconds;
}

async function recordedPutLoop(cluster: Cluster, prefix: string): Promise<number> {
  const recorder = new HistoryRecorder(path.join(tmp, `${prefix.replace(/\W/g, "")}.jsonl`), new RunClock());
  let value = 0;
  const pool = new ClientPool(
    {
      cluster,
      recorder,
      randomFor: (...labels) => randomStream(1, ...labels),
      settings: { ...defaultWorkloadSettings, concurrency, rate: Infinity },
      processIds: new ProcessIds(),
      keyPrefix: prefix,
      clients: new ClientPauses(),
    },
    {
      initialState: () => null,
      next: (process): Invocation => {
        const key = `${prefix}${process.process % concurrency}`;
        const written = String(value++);
        return {
          f: "put",
          key,
          value: written,
          async run(client, options) {
            const response = await client.kv.put({ key: Buffer.from(key), value: Buffer.from(written) }, options);
            return { type: "ok", revision: Number(response.header.revision) };
          },
        };
      },
    },
  );
  const started = performance.now();
  pool.start();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  await pool.stop();
  recorder.close();
  return recorder.size / 2 / ((performance.now() - started) / 1000);
}

const raw: number[] = [];
const recorded: number[] = [];
for (let round = 0; round < rounds; round++) {
  // Alternate which goes first, so neither gains from a warmer cluster.
  if (round % 2 === 0) raw.push(await rawPutLoop(cluster, `raw${round}/`));
  recorded.push(await recordedPutLoop(cluster, `rec${round}/`));
  if (round % 2 === 1) raw.push(await rawPutLoop(cluster, `raw${round}/`));
  console.log(`round ${round + 1}: raw ${raw.at(-1)!.toFixed(0)} puts/s, recorded ${recorded.at(-1)!.toFixed(0)} puts/s`);
}
const cost = (1 - median(recorded) / median(raw)) * 100;
console.log(`recording cost: median raw ${median(raw).toFixed(0)} puts/s, median recorded ${median(recorded).toFixed(0)} puts/s: ${cost.toFixed(1)}% (target <= 10%)`);

if (memoryMinutes > 0) {
  console.log(`memory over a ${memoryMinutes}-minute recorded register run at 200 ops/s (rss and heap used after a full GC, MiB):`);
  const samples: Array<{ minute: number; rss: number; heap: number }> = [];
  const sample = (): void => {
    // Collect first (node --expose-gc), so the figure is what the run keeps, not garbage not yet collected.
    (globalThis as { gc?: () => void }).gc?.();
    const usage = process.memoryUsage();
    samples.push({ minute: samples.length / 2, rss: usage.rss / 2 ** 20, heap: usage.heapUsed / 2 ** 20 });
    const last = samples.at(-1)!;
    console.log(`  ${last.minute.toFixed(1).padStart(5)} min  rss ${last.rss.toFixed(1)}  heap ${last.heap.toFixed(1)}`);
  };
  sample();
  const timer = setInterval(sample, 30_000);
  const run = await runWorkload(cluster, { workload: "register", timeMs: memoryMinutes * 60_000, file: path.join(tmp, "memory.jsonl") });
  clearInterval(timer);
  const settled = samples.filter((entry) => entry.minute >= 1);
  const first = settled[0] ?? samples[0]!;
  const last = settled.at(-1) ?? samples.at(-1)!;
  console.log(
    `  ${run.history.length} history entries written; heap at minute ${first.minute} ${first.heap.toFixed(1)} MiB, at minute ${last.minute} ${last.heap.toFixed(1)} MiB ` +
      `(${((last.heap - first.heap) / Math.max(0.5, last.minute - first.minute)).toFixed(2)} MiB/min while recording; reading the history back for the checkers comes after)`,
  );
}
await cluster.stop();
fs.rmSync(tmp, { recursive: true, force: true });
