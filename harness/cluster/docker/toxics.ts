// Named toxic sets on the pods' toxiproxy proxies: add a set by name, remove it by name, remove all.
import type { ToxicControl } from "../backend.ts";
import { planToxics, type Link, type Placement, type PlannedToxic, type ToxicSpec } from "../links.ts";
import type { StartedPod } from "./pod.ts";

/** Finds a member's pod by name, at the time of the call (members may come and go). */
export type PodLookup = (member: string) => StartedPod;

/** The toxic sets in place on one cluster's proxies. */
export class LinkToxics implements ToxicControl {
  readonly #pod: PodLookup;
  readonly #active = new Map<string, PlannedToxic[]>();

  constructor(pod: PodLookup) {
    this.#pod = pod;
  }

  /** Names of the toxic sets in place. */
  active(): string[] {
    return [...this.#active.keys()];
  }

  /** Toxics of the named set, as placed. */
  toxicsOf(name: string): PlannedToxic[] {
    return this.#active.get(name) ?? [];
  }

  /** Puts every spec on its link under one name; all or nothing. */
  async add(name: string, toxics: Array<{ link: Link; spec: ToxicSpec }>): Promise<PlannedToxic[]> {
    if (this.#active.has(name)) throw new Error(`toxic set ${name} is already in place; remove it first`);
    const planned = planToxics(name, toxics);
    const placed: PlannedToxic[] = [];
    this.#active.set(name, placed);
    const results = await Promise.allSettled(
      planned.map(async (toxic) => {
        await this.#proxy(toxic).addToxic(toxic.toxic);
        placed.push(toxic);
      }),
    );
    const failed = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
    if (failed) {
      await this.remove(name).catch(() => undefined);
      throw new Error(`could not place toxic set ${name}: ${failed.reason instanceof Error ? failed.reason.message : String(failed.reason)}`);
    }
    return planned;
  }

  /** Removes the named set; a set not in place, or a toxic already gone, is no error. */
  async remove(name: string): Promise<void> {
    const placed = this.#active.get(name);
    if (!placed) return;
    await Promise.all(
      placed.map(async (toxic) => {
        const proxy = this.#proxy(toxic);
        await proxy.api.delete(`${proxy.getPath()}/toxics/${encodeURIComponent(toxic.toxic.name)}`).catch((error: unknown) => {
          if (!/not found|404/i.test(String(error))) throw error;
        });
      }),
    );
    this.#active.delete(name);
  }

  /** Removes every set this object placed. Idempotent. */
  async removeAll(): Promise<void> {
    await Promise.all(this.active().map((name) => this.remove(name)));
  }

  #proxy(placement: Placement) {
    const proxy = this.#pod(placement.pod).proxies.get(placement.proxy);
    if (!proxy) throw new Error(`pod ${placement.pod} has no proxy ${placement.proxy}`);
    return proxy;
  }
}
