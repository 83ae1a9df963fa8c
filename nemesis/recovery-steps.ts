// What the disaster runbooks share: names for the new machines, the recovered keys read before clients come back, and the clients pointed at the new members.
import type { Etcd3 } from "etcd3";
import type { Cluster } from "../harness/cluster/backend.ts";
import { maxMembers, memberName, ordinalOf } from "../harness/cluster/topology.ts";
import type { Recovery } from "../record/recovery.ts";
import type { Runbook } from "./runbook.ts";

/** Unused names, after every name the cluster has had (the new machines of a recovery). */
export function newNames(cluster: Cluster): string[] {
  const highest = Math.max(...[...cluster.names, ...cluster.membership.vacantPlaces()].map(ordinalOf));
  const names: string[] = [];
  for (let ordinal = highest + 1; ordinal <= maxMembers; ordinal++) names.push(memberName(ordinal));
  return names;
}

/** Every key and its mod revision, at one revision. */
export async function readEveryKey(admin: Etcd3): Promise<{ revision: number; keys: Record<string, { value: string; modRevision: number }> }> {
  const response = await admin.getAll().exec();
  const keys: Record<string, { value: string; modRevision: number }> = {};
  for (const kv of response.kvs) keys[kv.key.toString()] = { value: kv.value.toString(), modRevision: Number(kv.mod_revision) };
  return { revision: Number(response.header.revision), keys };
}

const stopBudgetMs = 15_000;

/** `systemctl stop etcd`: SIGTERM, then the clean exit awaited; says how it exited. */
export async function stopEtcd(cluster: Cluster, name: string): Promise<string> {
  await cluster.processes.signal(name, "SIGTERM");
  const code = await cluster.processes.waitForExit(name, stopBudgetMs);
  if (code === undefined) throw new Error(`etcd of ${name} still ran ${stopBudgetMs} ms after SIGTERM`);
  return `exit ${code}`;
}

/** The last lines a tool printed, for a step's answer. */
export function lastLines(output: string): string {
  return output.trim().split("\n").slice(-3).join(" ").slice(0, 400);
}

/**
 * The runbook's last steps: wait for the recovered cluster's leader, read what it holds before any client
 * reaches it, then point the lost members' client addresses at the new members, in order.
 */
export async function handBackToClients(cluster: Cluster, runbook: Runbook, recovery: Recovery, now: () => number): Promise<{ leader: string; revision: number }> {
  const members = recovery.members;
  const leader = await runbook.step("endpoint status", `etcdctl --endpoints=${members.join(",")} endpoint status -w table`, () => cluster.waitForLeader(30_000));
  const state = await runbook.step("read the recovered keys", `etcdctl --endpoints=${leader} get "" --from-key`, () => readEveryKey(cluster.member(leader).admin));
  // From here on the clients may reach the recovered cluster: their operations belong to its era.
  recovery.recoveredAt = now();
  const moves = recovery.destroyed.map((from, index) => [from, members[index % members.length]!] as const).filter(([from, to]) => from !== to);
  if (moves.length > 0) {
    await runbook.step(`point the clients at ${members.join(", ")}`, `(the clients' addresses of ${moves.map(([from]) => from).join(", ")} now lead to ${moves.map(([, to]) => to).join(", ")})`, () =>
      Promise.all(moves.map(([from, to]) => cluster.recovery.pointClients(from, to))),
    );
  }
  recovery.restoredRevision = state.revision;
  recovery.restoredState = state.keys;
  return { leader, revision: state.revision };
}
