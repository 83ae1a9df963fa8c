// A member's pod: the toxiproxy container that owns the member's network namespace, addresses and proxies.
import fs from "node:fs";
import type { Readable } from "node:stream";
import { GenericContainer, Wait, type StartedNetwork, type StartedTestContainer } from "testcontainers";
import { Toxiproxy, type Proxy } from "toxiproxy-node-client";
import { toxiproxyImage } from "../../images/catalog.ts";
import { gofailPort } from "../../images/etcd-failpoints.ts";
import { powerlossFs } from "../../images/powerloss-fs.ts";
import { peerHostEntries, ports, type ProxySpec } from "../topology.ts";

export interface PodOptions {
  name: string;
  network: StartedNetwork;
  containerName: string;
  labels: Record<string, string>;
  logFile?: string;
}

export interface StartedPod {
  name: string;
  container: StartedTestContainer;
  /** Address on the cluster network, where the member's etcd listens for peers. */
  ip: string;
  toxiproxy: Toxiproxy;
  proxies: Map<string, Proxy>;
  /** host:port of the client proxy, for workload clients. */
  clientProxyEndpoint: string;
  /** host:port of etcd's client listener, bypassing every proxy, for status and admin calls. */
  adminEndpoint: string;
  /** host:port of gofail's API, served by a failpoints build of etcd (and nothing otherwise). */
  failpointEndpoint: string;
  /** host:port of the power-loss file system's control, when the member runs on one. */
  powerLossEndpoint: string;
}

export async function startPod(options: PodOptions): Promise<StartedPod> {
  let builder = new GenericContainer(toxiproxyImage)
    .withName(options.containerName)
    .withNetwork(options.network)
    .withExtraHosts(peerHostEntries())
    .withExposedPorts(ports.toxiproxyApi, ports.client, ports.clientProxy, gofailPort, powerlossFs.controlPort)
    .withLabels(options.labels)
    .withWaitStrategy(Wait.forLogMessage("Starting Toxiproxy HTTP server"))
    .withStartupTimeout(30_000);
  if (options.logFile) builder = builder.withLogConsumer(appendTo(options.logFile));
  const container = await builder.start();
  const host = "127.0.0.1";
  return {
    name: options.name,
    container,
    ip: container.getIpAddress(options.network.getName()),
    toxiproxy: new Toxiproxy(`http://${host}:${container.getMappedPort(ports.toxiproxyApi)}`),
    proxies: new Map(),
    clientProxyEndpoint: `${host}:${container.getMappedPort(ports.clientProxy)}`,
    adminEndpoint: `${host}:${container.getMappedPort(ports.client)}`,
    failpointEndpoint: `${host}:${container.getMappedPort(gofailPort)}`,
    powerLossEndpoint: `${host}:${container.getMappedPort(powerlossFs.controlPort)}`,
  };
}

/**
 * Creates the given proxies of the pod (see topology.ts) in one API call. The API may not answer on
 * its published port for a few milliseconds after toxiproxy logs that it started, hence the retries.
 */
export async function populatePod(pod: StartedPod, proxies: ProxySpec[], budgetMs = 5000): Promise<void> {
  // A lone member's pod has no peer proxies; toxiproxy answers an empty list with no list at all.
  if (proxies.length === 0) return;
  const started = Date.now();
  for (;;) {
    try {
      const created = await pod.toxiproxy.populate(proxies);
      for (const [name, proxy] of Object.entries(created)) pod.proxies.set(name, proxy);
      return;
    } catch (error) {
      if (Date.now() - started > budgetMs) {
        throw new Error(`toxiproxy of ${pod.name} did not accept its proxies within ${budgetMs}ms: ${String(error)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** A testcontainers log consumer that appends the container's output to a file. */
export function appendTo(file: string): (stream: Readable) => void {
  return (stream) => {
    const out = fs.createWriteStream(file, { flags: "a" });
    stream.pipe(out);
  };
}
