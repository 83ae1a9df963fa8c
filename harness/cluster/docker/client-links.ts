// Control of the links between the harness's clients and each member: blackhole a member's client proxy, heal.
import type { Proxy } from "toxiproxy-node-client";
import type { ClientLinkControl } from "../backend.ts";
import type { StartedPod } from "./pod.ts";
import { clientProxyName } from "../topology.ts";

const streams = ["upstream", "downstream"] as const;
const toxicName = (stream: (typeof streams)[number]): string => `client-blackhole-${stream}`;

export class ClientLinks implements ClientLinkControl {
  readonly #pods: Map<string, StartedPod>;
  readonly #cut = new Set<string>();

  constructor(pods: Map<string, StartedPod>) {
    this.#pods = pods;
  }

  /** Members whose client link is blackholed now. */
  cutMembers(): string[] {
    return [...this.#cut];
  }

  /** Drops every byte between the clients and `member`, both ways, keeping connections open. */
  async blackhole(member: string): Promise<void> {
    if (this.#cut.has(member)) return;
    this.#cut.add(member);
    const proxy = this.#proxy(member);
    await Promise.all(streams.map((stream) => proxy.addToxic({ name: toxicName(stream), type: "timeout", stream, toxicity: 1, attributes: { timeout: 0 } })));
  }

  async restore(member: string): Promise<void> {
    if (!this.#cut.has(member)) return;
    const proxy = this.#proxy(member);
    await Promise.all(streams.map((stream) => proxy.api.delete(`${proxy.getPath()}/toxics/${toxicName(stream)}`)));
    this.#cut.delete(member);
  }

  /** Restores every cut client link. Idempotent. */
  async healAll(): Promise<void> {
    await Promise.all(this.cutMembers().map((member) => this.restore(member)));
  }

  #proxy(member: string): Proxy {
    const proxy = this.#pods.get(member)?.proxies.get(clientProxyName);
    if (!proxy) throw new Error(`no client proxy for ${member}`);
    return proxy;
  }
}
