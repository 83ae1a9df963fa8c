// Control of the data flowing between members: blackhole one direction of one link, partitions, heal.
//
// Data from member a to member b travels over two kinds of TCP connection: those a opens to b (its
// pipeline posts, snapshots and probes: the upstream of proxy a->b in pod a) and those b opens to a
// (b's stream readers, on which a writes its raft messages back: the downstream of proxy b->a in pod b).
// Cutting a->b therefore toxifies both; cutting both directions toxifies all four streams.
import type { Proxy } from "toxiproxy-node-client";
import type { PeerLinkControl } from "../backend.ts";
import { crossingLinks, type DirectedLink } from "../links.ts";
import type { StartedPod } from "./pod.ts";
import { peerProxyName } from "../topology.ts";

const blackholeToxic = "blackhole";

export class PeerLinks implements PeerLinkControl {
  readonly #pods: Map<string, StartedPod>;
  /** Directed links currently blackholed, as "from->to". */
  readonly #cut = new Set<string>();

  constructor(pods: Map<string, StartedPod>) {
    this.#pods = pods;
  }

  /** Directed links that are blackholed now. */
  cutLinks(): DirectedLink[] {
    return [...this.#cut].map((key) => {
      const [from, to] = key.split("->") as [string, string];
      return { from, to };
    });
  }

  /** Drops every byte from `from` to `to`, keeping connections open, like a real network partition. */
  async blackhole(links: DirectedLink[]): Promise<void> {
    const fresh = links.filter((link) => !this.#cut.has(key(link)));
    for (const link of fresh) this.#cut.add(key(link));
    await Promise.all(
      fresh.flatMap((link) => [
        addToxic(this.#proxy(link.from, link.to), "upstream"),
        addToxic(this.#proxy(link.to, link.from), "downstream"),
      ]),
    );
  }

  /** Lets data flow again on the given directed links; links that are not cut are ignored. */
  async restore(links: DirectedLink[]): Promise<void> {
    const cut = links.filter((link) => this.#cut.has(key(link)));
    await Promise.all(
      cut.flatMap((link) => [
        removeToxic(this.#proxy(link.from, link.to), "upstream"),
        removeToxic(this.#proxy(link.to, link.from), "downstream"),
      ]),
    );
    for (const link of cut) this.#cut.delete(key(link));
  }

  /** Cuts every link between members of different groups, in both directions. */
  async partition(groups: string[][]): Promise<void> {
    await this.blackhole(crossingLinks(groups));
  }

  /** Restores every cut link. Idempotent. */
  async healAll(): Promise<void> {
    await this.restore(this.cutLinks());
  }

  #proxy(from: string, to: string): Proxy {
    const proxy = this.#pods.get(from)?.proxies.get(peerProxyName(from, to));
    if (!proxy) throw new Error(`no proxy ${peerProxyName(from, to)}: is ${to} a member of this cluster?`);
    return proxy;
  }
}

const key = (link: DirectedLink): string => `${link.from}->${link.to}`;
const toxicName = (stream: "upstream" | "downstream"): string => `${blackholeToxic}-${stream}`;

async function addToxic(proxy: Proxy, stream: "upstream" | "downstream"): Promise<void> {
  await proxy.addToxic({ name: toxicName(stream), type: "timeout", stream, toxicity: 1, attributes: { timeout: 0 } });
}

async function removeToxic(proxy: Proxy, stream: "upstream" | "downstream"): Promise<void> {
  await proxy.api.delete(`${proxy.getPath()}/toxics/${toxicName(stream)}`);
}
