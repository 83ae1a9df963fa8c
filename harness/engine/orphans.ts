// Removes what a run left behind when the engine itself died under it (its reaper died with it).
import { runLabel } from "../cluster/docker/docker-cluster.ts";
import { reaperImage } from "../images/catalog.ts";
import { docker } from "./docker-engine.ts";

const sessionLabel = "org.testcontainers.session-id";

export interface SweptOrphans {
  containers: string[];
  networks: string[];
}

/**
 * A harness container or network belongs to a live run while a reaper of its testcontainers session
 * runs; reapers watch their session until it ends, so anything without one can never be cleaned by it.
 */
export async function sweepOrphans(): Promise<SweptOrphans> {
  const engine = docker();
  const everything = await engine.listContainers({ all: true });
  const liveSessions = new Set(
    everything
      .filter((container) => container.Image === reaperImage && container.State === "running")
      .map((container) => container.Labels[sessionLabel])
      .filter((session): session is string => session !== undefined),
  );
  const orphanContainers = everything.filter((container) => {
    const run = container.Labels[runLabel];
    const session = container.Labels[sessionLabel];
    return run !== undefined && (session === undefined || !liveSessions.has(session));
  });
  for (const container of orphanContainers) {
    await engine.getContainer(container.Id).remove({ force: true, v: true });
  }
  const networks = await engine.listNetworks();
  const orphanNetworks = networks.filter((network) => {
    const session = network.Labels?.[sessionLabel];
    return network.Name.startsWith("eh-") && session !== undefined && !liveSessions.has(session);
  });
  for (const network of orphanNetworks) {
    await engine.getNetwork(network.Id).remove();
  }
  return {
    containers: orphanContainers.map((container) => container.Names[0]?.replace(/^\//, "") ?? container.Id.slice(0, 12)),
    networks: orphanNetworks.map((network) => network.Name),
  };
}
