// Snapshots a run saved (snapshot-save), kept per cluster until a restore takes the latest.

import type { Cluster } from "../harness/cluster/backend.ts";

export interface SavedSnapshot {
  member: string;
  /** The revision the snapshot holds: the first header of etcd's snapshot stream. */
  revision: number;
  /** Run-clock nanoseconds when the save completed. */
  savedAt: number;
  content: Buffer;
}

const saved = new WeakMap<Cluster, SavedSnapshot[]>();

export function keepSnapshot(cluster: Cluster, snapshot: SavedSnapshot): void {
  saved.set(cluster, [...(saved.get(cluster) ?? []), snapshot]);
}

export function latestSnapshot(cluster: Cluster): SavedSnapshot | undefined {
  return saved.get(cluster)?.at(-1);
}
