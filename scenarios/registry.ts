// Every scenario `harness run` knows, in the order `harness list` shows them.
import { usageError } from "../harness/errors.ts";
import { compactionDefrag } from "./compaction-defrag.ts";
import { flakyLinks } from "./flaky-links.ts";
import { partitionMinority } from "./partition-minority.ts";
import { quotaExhaustion } from "./quota-exhaustion.ts";
import type { Scenario } from "./scenario.ts";
import { slowPeerLinks } from "./slow-peer-links.ts";
import { steady } from "./steady.ts";
import { wanLatency } from "./wan-latency.ts";

export const scenarios: Scenario[] = [partitionMinority, steady, quotaExhaustion, compactionDefrag, slowPeerLinks, wanLatency, flakyLinks];

export function scenarioNamed(name: string): Scenario {
  const scenario = scenarios.find((candidate) => candidate.name === name);
  if (!scenario) {
    throw usageError(`unknown scenario "${name}"; known scenarios: ${scenarios.map((known) => known.name).join(", ")} (see \`harness list\`)`);
  }
  return scenario;
}
