// npm run bench:cluster: start-up time, time to cut, partition-minority wall time, leftovers after each kind of exit.
import { startCluster } from "../harness/cluster/docker/docker-cluster.ts";
import { defaultEtcdVersion, prepareRunEnvironment } from "../harness/images/run-images.ts";
import { clusterIdOf, leftovers, leftoversAfter, startHarness } from "../test/support/harness-process.ts";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const rounds = Number(process.env["BENCH_ROUNDS"] ?? 5);
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number): string => `${Math.round(value)} ms`;
const say = (line: string): void => console.log(line);

// This process's own reaper must not be shared with the harness processes it kills below.
process.env["TESTCONTAINERS_RYUK_TEST_LABEL"] = "true";
const etcdVersion = await defaultEtcdVersion();
await prepareRunEnvironment([etcdVersion], say);
say(`etcd ${etcdVersion}, ${os.cpus().length} cores, median of ${rounds}`);

for (const size of [3, 5]) {
  const totals: number[] = [];
  const phases: Record<string, number[]> = {};
  for (let round = 0; round < rounds; round++) {
    const cluster = await startCluster({ size, etcdVersion });
    totals.push(cluster.startupMs["leader"]!);
    for (const [phase, at] of Object.entries(cluster.startupMs)) (phases[phase] ??= []).push(at);
    await cluster.stop();
  }
  const breakdown = Object.entries(phases).map(([phase, values]) => `${phase} ${ms(median(values))}`).join(", ");
  say(`healthy ${size}-member cluster: median ${ms(median(totals))} (all: ${totals.map(ms).join(", ")}); phases ended at: ${breakdown}`);
}

{
  const cluster = await startCluster({ size: 3, etcdVersion });
  const cuts: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    await cluster.links.partition([["n1"], ["n2", "n3"]]);
    cuts.push(performance.now() - started);
    await cluster.links.healAll();
    await cluster.waitForLeader(15_000);
  }
  await cluster.stop();
  say(`cut {n1} | {n2,n3} until all 4 crossing links blackholed (8 toxics): median ${cuts.map((cut) => cut.toFixed(1)).sort((a, b) => +a - +b)[Math.floor(cuts.length / 2)]} ms (all: ${cuts.map((cut) => cut.toFixed(1)).join(", ")} ms)`);
}

const out = fs.mkdtempSync(path.join(os.tmpdir(), "bench-runs-"));
{
  const started = performance.now();
  const run = startHarness(["run", "partition-minority", "--out", out]);
  const { code } = await run.exit;
  const wall = (performance.now() - started) / 1000;
  const left = await leftovers(clusterIdOf(run.stderr()));
  say(`harness run partition-minority: ${wall.toFixed(1)} s wall, exit ${code}; left after normal exit: ${left.containers.length} containers, ${left.networks.length} networks`);
}
{
  const run = startHarness(["run", "partition-minority", "--time", "60s", "--out", out]);
  await run.waitFor(/cluster eh-[0-9a-f]+ healthy/, 60_000);
  run.child.kill("SIGINT");
  const { code } = await run.exit;
  const left = await leftovers(clusterIdOf(run.stderr()));
  say(`SIGINT during a run: exit ${code}; left at exit: ${left.containers.length} containers, ${left.networks.length} networks`);
}
{
  const run = startHarness(["run", "partition-minority", "--time", "60s", "--out", out]);
  await run.waitFor(/cluster eh-[0-9a-f]+ healthy/, 60_000);
  run.child.kill("SIGKILL");
  await run.exit;
  const clusterId = clusterIdOf(run.stderr());
  const atKill = await leftovers(clusterId);
  const started = performance.now();
  const left = await leftoversAfter(30_000, clusterId);
  say(
    `SIGKILL during a run: ${atKill.containers.length} containers and ${atKill.networks.length} networks at the kill; ` +
      `${left.containers.length} containers, ${left.networks.length} networks left ${((performance.now() - started) / 1000).toFixed(1)} s later (the reaper waits 3 s for a reconnect)`,
  );
}
fs.rmSync(out, { recursive: true, force: true });
