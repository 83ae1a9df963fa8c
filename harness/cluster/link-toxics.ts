// Named toxiproxy toxics on any directed peer link or client link: add a set by name, remove it by name, remove all.
//
// Data from member a to member b crosses two proxies (see peer-links.ts): the upstream of pod a's proxy
// "a->b" (connections a opens) and the downstream of pod b's proxy "b->a" (connections b opens, on which
// a answers), so a toxic on the directed link a->b goes on both. A client link is one member's client
// proxy: requests to the member cross its upstream, responses its downstream.
import type { StartedPod } from "./pod.ts";
import { clientProxyName, peerProxyName } from "./topology.ts";

export type ToxicType = "latency" | "bandwidth" | "slow_close" | "timeout" | "reset_peer" | "slicer" | "limit_data";
export type Stream = "upstream" | "downstream";

/** A toxic as toxiproxy takes it, without name and stream (see toxiproxy's README for each type's attributes). */
export interface ToxicSpec {
  type: ToxicType;
  attributes: Record<string, number>;
  /** Share of connections affected, from 0 to 1; 1 when absent. */
  toxicity?: number;
}

/** A directed link: member to member, or between the harness's clients and one member. */
export type Link = { kind: "peer"; from: string; to: string } | { kind: "client"; member: string; carries: "requests" | "responses" };

/** One stream of one proxy in one pod. */
export interface Placement {
  pod: string;
  proxy: string;
  stream: Stream;
  /** What crosses this stream: requests (from whoever opened the connection) or responses. */
  crossing: "requests" | "responses";
}

export interface PlannedToxic extends Placement {
  /** The link this toxic slows, as linkName() writes it. */
  link: string;
  toxic: { name: string; type: ToxicType; stream: Stream; toxicity: number; attributes: Record<string, number> };
}

/** "n1->n2" for a peer link; "client->n1" (requests) or "n1->client" (responses) for a client link. */
export function linkName(link: Link): string {
  if (link.kind === "peer") return `${link.from}->${link.to}`;
  return link.carries === "requests" ? `client->${link.member}` : `${link.member}->client`;
}

/** The inverse of linkName. */
export function parseLink(name: string): Link {
  const match = /^(client|n\d+)->(client|n\d+)$/.exec(name);
  if (!match || match[1] === match[2]) throw new Error(`not a link: "${name}"; expected "n1->n2", "client->n1" or "n1->client"`);
  const [, from, to] = match as unknown as [string, string, string];
  if (from === "client") return { kind: "client", member: to, carries: "requests" };
  if (to === "client") return { kind: "client", member: from, carries: "responses" };
  return { kind: "peer", from, to };
}

/** The proxy streams that carry a link's data. */
export function placementsOf(link: Link): Placement[] {
  if (link.kind === "client") {
    const stream: Stream = link.carries === "requests" ? "upstream" : "downstream";
    return [{ pod: link.member, proxy: clientProxyName, stream, crossing: link.carries }];
  }
  return [
    { pod: link.from, proxy: peerProxyName(link.from, link.to), stream: "upstream", crossing: "requests" },
    { pod: link.to, proxy: peerProxyName(link.to, link.from), stream: "downstream", crossing: "responses" },
  ];
}

const namePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * The toxics that put each spec on its link, named `<name>-<stream>`. Every (proxy, stream) carries
 * exactly one directed link, so names are unique per proxy as long as no link is given twice.
 */
export function planToxics(name: string, toxics: Array<{ link: Link; spec: ToxicSpec }>): PlannedToxic[] {
  if (!namePattern.test(name)) throw new Error(`toxic set name "${name}" must be letters, digits, "_", "." or "-"`);
  const seen = new Set<string>();
  return toxics.flatMap(({ link, spec }) => {
    const label = linkName(link);
    if (seen.has(label)) throw new Error(`link ${label} given twice in toxic set ${name}`);
    seen.add(label);
    const problem = attributeProblem(spec);
    if (problem) throw new Error(`${spec.type} on ${label}: ${problem}`);
    return placementsOf(link).map((placement) => ({
      ...placement,
      link: label,
      toxic: { name: `${name}-${placement.stream}`, type: spec.type, stream: placement.stream, toxicity: spec.toxicity ?? 1, attributes: { ...spec.attributes } },
    }));
  });
}

function attributeProblem(spec: ToxicSpec): string | undefined {
  const bad = Object.entries(spec.attributes).filter(([, value]) => !Number.isFinite(value) || value < 0);
  if (bad.length > 0) return `attributes must be numbers >= 0, got ${bad.map(([key, value]) => `${key}=${value}`).join(", ")}`;
  if (spec.toxicity !== undefined && !(spec.toxicity >= 0 && spec.toxicity <= 1)) return `toxicity must be between 0 and 1, got ${spec.toxicity}`;
  return undefined;
}

/** Finds a member's pod by name, at the time of the call (members may come and go). */
export type PodLookup = (member: string) => StartedPod;

/** The toxic sets in place on one cluster's proxies. */
export class LinkToxics {
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

const perCluster = new WeakMap<object, LinkToxics>();

/** The one LinkToxics of a cluster, created on first use. */
export function linkToxicsOf(cluster: { member(name: string): { pod: StartedPod } }): LinkToxics {
  let toxics = perCluster.get(cluster);
  if (!toxics) {
    toxics = new LinkToxics((member) => cluster.member(member).pod);
    perCluster.set(cluster, toxics);
  }
  return toxics;
}
