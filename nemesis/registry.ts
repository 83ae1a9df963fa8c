// Every fault family a schedule can name.
import { compactNemesis, defragNemesis } from "./admin.ts";
import { clusterMigrateNemesis } from "./cluster-migrate.ts";
import { disasterCopyDataDirNemesis, disasterForceNewClusterNemesis } from "./disaster-force-new-cluster.ts";
import { disasterSnapshotRestoreNemesis } from "./disaster-snapshot-restore.ts";
import { failpointCrashNemesis, failpointSleepNemesis } from "./failpoint.ts";
import { clientPauseNemesis, holderMemberPauseNemesis } from "./holder-pause.ts";
import { linkNemeses } from "./link-faults.ts";
import { memberMoveNemesis } from "./member-move.ts";
import type { Nemesis } from "./nemesis.ts";
import { membershipNemeses } from "./membership.ts";
import { bridgeNemesis, flappingNemesis, isolateNemesis, oneWayNemesis, ringNemesis } from "./partition.ts";
import { gracefulRestartNemesis, killNemesis, pauseNemesis, rollingRestartNemesis } from "./process.ts";
import { powerLossNemesis } from "./power-loss.ts";
import { quotaNemesis } from "./quota.ts";
import { reconfigureNemesis } from "./reconfigure.ts";
import { blackholeUntilSnapshotNemesis } from "./snapshot-catchup.ts";
import { snapshotSaveNemesis } from "./snapshot-save.ts";
import { bitflipNemesis, walTruncateNemesis } from "./storage.ts";

const all: Nemesis[] = [
  isolateNemesis,
  ringNemesis,
  bridgeNemesis,
  oneWayNemesis,
  flappingNemesis,
  killNemesis,
  pauseNemesis,
  gracefulRestartNemesis,
  rollingRestartNemesis,
  ...membershipNemeses,
  ...linkNemeses,
  quotaNemesis,
  compactNemesis,
  defragNemesis,
  clientPauseNemesis,
  holderMemberPauseNemesis,
  failpointCrashNemesis,
  failpointSleepNemesis,
  bitflipNemesis,
  walTruncateNemesis,
  powerLossNemesis,
  blackholeUntilSnapshotNemesis,
  snapshotSaveNemesis,
  disasterSnapshotRestoreNemesis,
  disasterForceNewClusterNemesis,
  disasterCopyDataDirNemesis,
  memberMoveNemesis,
  clusterMigrateNemesis,
  reconfigureNemesis,
];

export const nemeses: Record<string, Nemesis> = Object.fromEntries(all.map((nemesis) => [nemesis.name, nemesis]));

export const nemesisNames = Object.keys(nemeses);

export function nemesisNamed(name: string): Nemesis {
  const nemesis = nemeses[name];
  if (!nemesis) throw new Error(`no fault named ${name}; known: ${nemesisNames.join(", ")}`);
  return nemesis;
}
