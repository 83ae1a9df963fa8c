// Every link of a cluster of pods: peer links, client links and toxics on their proxies, and probes that cross them.
import type { ClientTls } from "../../clients/etcd-client.ts";
import type { ClusterLinks } from "../backend.ts";
import type { DirectedLink, Placement } from "../links.ts";
import { ordinalOf, peerLoopback, ports } from "../topology.ts";
import { ClientLinks } from "./client-links.ts";
import { PeerLinks } from "./peer-links.ts";
import type { StartedPod } from "./pod.ts";
import { LinkToxics } from "./toxics.ts";

export class PodLinks implements ClusterLinks {
  readonly clients: ClientLinks;
  readonly toxics: LinkToxics;
  readonly #peers: PeerLinks;
  readonly #pods: Map<string, StartedPod>;
  /** The TLS a probe speaks on the client links and on the peer links (none for plain-text links). */
  readonly #probeTls: (link: "client" | "peer") => ClientTls | undefined;
  #nextProbePort = 0;

  constructor(pods: Map<string, StartedPod>, probeTls: (link: "client" | "peer") => ClientTls | undefined = () => undefined) {
    this.#pods = pods;
    this.#probeTls = probeTls;
    this.#peers = new PeerLinks(pods);
    this.clients = new ClientLinks(pods);
    this.toxics = new LinkToxics((member) => {
      const pod = pods.get(member);
      if (!pod) throw new Error(`no pod for ${member}`);
      return pod;
    });
  }

  cutLinks(): DirectedLink[] {
    return this.#peers.cutLinks();
  }

  blackhole(links: DirectedLink[]): Promise<void> {
    return this.#peers.blackhole(links);
  }

  restore(links: DirectedLink[]): Promise<void> {
    return this.#peers.restore(links);
  }

  partition(groups: string[][]): Promise<void> {
    return this.#peers.partition(groups);
  }

  healAll(): Promise<void> {
    return this.#peers.healAll();
  }

  /**
   * A client link is probed through the member's client proxy (etcd serves /version and /metrics on its
   * client port). A peer link's stream is inside a pod, so the probe adds a temporary proxy to that pod,
   * listening on the pod's address on the cluster network (which the host reaches on Linux) and chained
   * into the peer proxy's listener: the probe's request then crosses the peer proxy's upstream and its
   * response the downstream, and the far end is the other member's real peer listener.
   */
  async probe<T>(placement: Placement, use: (endpoint: string, tls?: ClientTls) => Promise<T>): Promise<T> {
    const pod = this.#pods.get(placement.pod);
    if (!pod) throw new Error(`no pod for ${placement.pod}`);
    if (placement.proxy === "client") return use(pod.clientProxyEndpoint, this.#probeTls("client"));
    const target = placement.proxy.split("->")[1]!;
    const port = 21000 + (this.#nextProbePort++ % 1000);
    const proxy = await pod.toxiproxy.createProxy({
      name: `probe-${port}-${placement.proxy}`,
      listen: `0.0.0.0:${port}`,
      upstream: `${peerLoopback(ordinalOf(target))}:${ports.peer}`,
    });
    try {
      return await use(`${pod.ip}:${port}`, this.#probeTls("peer"));
    } finally {
      await proxy.remove().catch(() => undefined);
    }
  }
}
