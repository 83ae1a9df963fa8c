// power-loss: the targets lose power: their etcd and the disk cache under it die at once, and every write not yet fsynced is gone; heal powers them on again.
import type { Cluster } from "../harness/cluster/backend.ts";
import { megabytes } from "../harness/cluster/member-storage.ts";
import { faultHandle, measured, type Nemesis } from "./nemesis.ts";

const exitBudgetMs = 10_000;

interface Unsynced {
  files: number;
  bytes: number;
}

/** How long a cut waits for a moment when the member holds writes not yet fsynced: etcd fsyncs within milliseconds. */
const unsyncedWaitMs = 3000;

/** What the member's power-loss file system holds unsynced right now. */
async function unsyncedOf(endpoint: string): Promise<Unsynced> {
  const response = await fetch(`http://${endpoint}/pending`, { signal: AbortSignal.timeout(2000) });
  if (!response.ok) throw new Error(`power-loss file system at ${endpoint}: ${response.status}`);
  return (await response.json()) as Unsynced;
}

/** Asks again and again for up to unsyncedWaitMs, returning as soon as the member holds unsynced writes: the moment to cut. */
async function momentWithUnsynced(endpoint: string): Promise<Unsynced | undefined> {
  const started = Date.now();
  let last: Unsynced | undefined;
  do {
    last = await unsyncedOf(endpoint).catch(() => last);
    if (last && last.bytes > 0) return last;
  } while (Date.now() - started < unsyncedWaitMs);
  return last;
}

export const powerLossNemesis: Nemesis = {
  name: "power-loss",
  summary: "pull the targets' plug: SIGKILL their etcd and the power-loss file system under it, losing every write not fsynced; heal starts them on what reached the disk",
  needsPowerLossFs: true,
  unavailableReason(cluster: Cluster, targets: string[]) {
    if (targets.length === 0) return "no targets";
    const strangers = targets.filter((name) => !cluster.names.includes(name));
    if (strangers.length > 0) return `${strangers.join(",")} is not a member`;
    const without = targets.filter((name) => !cluster.member(name).powerLossEndpoint);
    return without.length > 0 ? `${without.join(",")} runs without the power-loss file system` : undefined;
  },
  async inject({ cluster }, targets) {
    const heal = async (): Promise<void> => void (await Promise.all(targets.map((name) => cluster.processes.restart(name))));
    const cut = await Promise.all(
      targets.map(async (name) => {
        const unsynced = await momentWithUnsynced(cluster.member(name).powerLossEndpoint!);
        await cluster.processes.signal(name, "SIGKILL");
        return { name, unsynced, exitCode: await cluster.processes.waitForExit(name, exitBudgetMs) };
      }),
    ).catch(async (error: unknown) => {
      await heal().catch(() => undefined);
      throw error;
    });
    const lost = Object.fromEntries(cut.map(({ name, unsynced }) => [name, unsynced ?? null]));
    const alive = cut.filter(({ exitCode }) => exitCode === undefined).map(({ name }) => name);
    const words = cut.map(({ name, unsynced }) =>
      unsynced ? `${name} held ${unsynced.bytes > 0 ? `${unsynced.bytes < 1000 ? `${unsynced.bytes} bytes` : megabytes(unsynced.bytes)} not fsynced in ${unsynced.files} file${unsynced.files === 1 ? "" : "s"}, lost with it` : `nothing unsynced within ${unsyncedWaitMs / 1000}s`}` : `${name} (its file system did not say what it held)`,
    );
    const sign =
      alive.length === 0
        ? measured(true, `power cut: ${words.join("; ")}`)
        : measured(false, `still running after the power cut: ${alive.join(",")}`);
    return faultHandle({ unsynced: lost }, { verify: async () => [sign], heal });
  },
};
