// Every scenario `harness run` knows, in the order `harness list` shows them.
import { usageError } from "../harness/errors.ts";
import { partitionBridge, partitionFlapping, partitionLeader, partitionMajorityLeader, partitionMinority, partitionOneWay, partitionRing } from "./partitions.ts";
import { killFollower, killLeader, killMajority, pauseFollower, pauseLeader, rollingRestart } from "./processes.ts";
import { growShrink } from "./grow-shrink.ts";
import { disasterCopyDataDir, disasterForceNewCluster } from "./disaster-from-one-member.ts";
import { disasterSnapshotRestore } from "./disaster-snapshot-restore.ts";
import { growFromOne } from "./grow-from-one.ts";
import { clusterMigrate, memberMove } from "./moves.ts";
import { tuning } from "./tuning.ts";
import { leaderHandoff } from "./leader-handoff.ts";
import { memberReplaceFollower, memberReplaceLeader } from "./member-replace.ts";
import { authRestart, etcd14571 } from "./auth-restart.ts";
import { membershipChurn } from "./membership-churn.ts";
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import type { Scenario } from "./scenario.ts";
import { scenarioOf } from "./scenario-of.ts";
import { random } from "./random.ts";
import { compactionDefrag } from "./compaction-defrag.ts";
import { autoCompactionPeriodic, autoCompactionRevision } from "./auto-compaction.ts";
import { etcd13766 } from "./etcd-13766.ts";
import { etcd14370, etcd14685, etcd15220, etcd15271, etcd17529, etcd17780, etcd19179, etcd20221 } from "./regressions.ts";
import { failpointCrash, failpointSleep } from "./failpoints.ts";
import { storageCorruption } from "./storage-corruption.ts";
import { powerLoss, powerLossMajority } from "./power-loss.ts";
import { flakyLinks } from "./flaky-links.ts";
import { lockPause, lockPauseMember } from "./lock-pause.ts";
import { quotaExhaustion } from "./quota-exhaustion.ts";
import { slowPeerLinks } from "./slow-peer-links.ts";
import { steady } from "./steady.ts";
import { wanLatency } from "./wan-latency.ts";

/** The built-in specs, data of the shape a user's scenario file has (`harness show <name>` prints one). */
export const builtInSpecs: ScenarioSpec[] = [
  partitionMinority,
  partitionMajorityLeader,
  partitionLeader,
  partitionRing,
  partitionBridge,
  partitionOneWay,
  partitionFlapping,
  killLeader,
  killFollower,
  killMajority,
  pauseLeader,
  pauseFollower,
  lockPause,
  lockPauseMember,
  rollingRestart,
  memberReplaceFollower,
  memberReplaceLeader,
  leaderHandoff,
  growFromOne,
  disasterSnapshotRestore,
  disasterForceNewCluster,
  disasterCopyDataDir,
  memberMove,
  clusterMigrate,
  tuning,
  authRestart,
  growShrink,
  membershipChurn,
  quotaExhaustion,
  compactionDefrag,
  autoCompactionPeriodic,
  autoCompactionRevision,
  slowPeerLinks,
  wanLatency,
  flakyLinks,
  failpointCrash,
  failpointSleep,
  storageCorruption,
  powerLoss,
  powerLossMajority,
  etcd13766,
  etcd14370,
  etcd14571,
  etcd14685,
  etcd15220,
  etcd15271,
  etcd17529,
  etcd17780,
  etcd19179,
  etcd20221,
  random,
  steady,
];

/** Every built-in scenario, runnable. */
export const scenarios: Scenario[] = builtInSpecs.map(scenarioOf);

export function scenarioNamed(name: string): Scenario {
  const scenario = scenarios.find((candidate) => candidate.name === name);
  if (!scenario) {
    throw usageError(`unknown scenario "${name}"; known scenarios: ${scenarios.map((known) => known.name).join(", ")} (see \`harness list\`), or a scenario file (.yaml, .yml or .json)`);
  }
  return scenario;
}
