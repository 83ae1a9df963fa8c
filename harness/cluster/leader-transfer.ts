// Moves raft leadership to another member as `etcdctl move-leader` does (MoveLeader sent to the leader), and waits until every member names the new one.
import { deadline } from "../clients/etcd-client.ts";
import type { Cluster } from "./backend.ts";

export interface LeaderMove {
  from: string;
  to: string;
  /** From the MoveLeader call to every member naming `to`. */
  elapsedMs: number;
}

const callTimeoutMs = 5000;

export async function moveLeader(cluster: Cluster, to: string, budgetMs = 15_000): Promise<LeaderMove> {
  const started = Date.now();
  const from = await cluster.waitForLeader(budgetMs);
  if (from === to) return { from, to, elapsedMs: 0 };
  const target = cluster.member(to);
  await cluster.member(from).admin.maintenance.moveLeader({ targetID: target.id }, deadline(callTimeoutMs));
  for (;;) {
    const now = await cluster.waitForLeader(Math.max(1000, budgetMs - (Date.now() - started))).catch(() => undefined);
    if (now === to) return { from, to, elapsedMs: Date.now() - started };
    if (Date.now() - started > budgetMs) throw new Error(`move-leader ${from} -> ${to}: the members named ${now ?? "no common leader"} after ${budgetMs}ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
