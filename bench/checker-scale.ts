// One scale run of the linearizability checker on a generated history, in its own process so its peak
// memory is its own: `node bench/checker-scale.ts <model> <operations> <keys> [seed]`; prints one JSON line.
import { etcdSpec, kvSpec, registerSpec, simulateHistory, type Spec } from "../test/support/linearizability/generators/index.ts";
import { checkHistory, createModel, type ModelName } from "../checkers/linearizability/index.ts";

const [modelName = "register", operations = "10000", keys = "100", seed = "1"] = process.argv.slice(2);
const specs: Record<string, Spec<unknown>> = { register: registerSpec as Spec<unknown>, kv: kvSpec as Spec<unknown>, etcd: etcdSpec as Spec<unknown> };

const generateStarted = performance.now();
const entries = simulateHistory(specs[modelName]!, { seed: Number(seed), operations: Number(operations), keys: Number(keys), clients: 32, infoRate: 0.01, failRate: 0.01 });
const generateMs = performance.now() - generateStarted;

const result = checkHistory(entries, createModel(modelName as ModelName), { timeoutMs: 120_000 });
process.stdout.write(
  JSON.stringify({
    model: modelName,
    operations: result.operations,
    keys: Number(keys),
    partitions: result.partitions.length,
    verdict: result.verdict,
    generateMs: Math.round(generateMs),
    checkMs: Math.round(result.elapsedMs),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }) + "\n",
);
