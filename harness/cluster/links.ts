// The links the harness controls, by name: directed peer links and client links, the toxics put on them, and the proxy streams that carry them.
//
// Data from member a to member b crosses two proxies (see peer-links.ts): the upstream of pod a's proxy
// "a->b" (connections a opens) and the downstream of pod b's proxy "b->a" (connections b opens, on which
// a answers), so a toxic on the directed link a->b goes on both. A client link is one member's client
// proxy: requests to the member cross its upstream, responses its downstream.
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

/** A directed peer link: what `from` sends to `to`. */
export interface DirectedLink {
  from: string;
  to: string;
}

/** Directed links between members of different groups, both directions. */
export function crossingLinks(groups: string[][]): DirectedLink[] {
  return groups.flatMap((group, index) =>
    groups.flatMap((other, otherIndex) =>
      index === otherIndex ? [] : group.flatMap((from) => other.map((to) => ({ from, to }))),
    ),
  );
}
