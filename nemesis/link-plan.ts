// Which links a link fault slows: the targets' peer and/or client links in a direction, or a per-link latency matrix.
import type { Link } from "../harness/cluster/links.ts";
import { linkName, parseLink } from "../harness/cluster/links.ts";

export type LinkKinds = "peer" | "client" | "both";
/** Relative to the targets: out is what they send, in is what they receive. */
export type Direction = "out" | "in" | "both";

export interface LinkChoice {
  links: LinkKinds;
  direction: Direction;
}

/**
 * The targets' links: peer links between each target and every other member, and the targets' client
 * links (a member's responses go out, requests to it come in). Every directed link appears once.
 */
export function selectLinks(members: string[], targets: string[], choice: LinkChoice): Link[] {
  const out = choice.direction !== "in";
  const into = choice.direction !== "out";
  const links: Link[] = [];
  for (const target of targets) {
    if (choice.links !== "client") {
      for (const other of members.filter((member) => member !== target)) {
        if (out) links.push({ kind: "peer", from: target, to: other });
        if (into) links.push({ kind: "peer", from: other, to: target });
      }
    }
    if (choice.links !== "peer") {
      if (out) links.push({ kind: "client", member: target, carries: "responses" });
      if (into) links.push({ kind: "client", member: target, carries: "requests" });
    }
  }
  const seen = new Set<string>();
  return links.filter((link) => !seen.has(linkName(link)) && seen.add(linkName(link)));
}

/** Reads the `links` and `direction` parameters, or says what is wrong with them. */
export function linkChoice(params: Record<string, unknown>): LinkChoice | string {
  const links = params["links"] ?? "peer";
  const direction = params["direction"] ?? "both";
  if (links !== "peer" && links !== "client" && links !== "both") return `links is peer, client or both, got ${JSON.stringify(links)}`;
  if (direction !== "out" && direction !== "in" && direction !== "both") return `direction is out, in or both, got ${JSON.stringify(direction)}`;
  return { links, direction };
}

export interface LinkLatency {
  link: Link;
  latencyMs: number;
  jitterMs: number;
}

/**
 * A WAN shape as one-way latencies per directed peer link. `zones` (lists of members) put
 * `zoneLatencyMs` (50 by default) on every link between members of different zones; `zoneDistances`
 * ({"A-B": 30, "B-C": 40, "A-C": 70}) places the members round-robin over the zones it names (n1 in A,
 * n2 in B, n3 in C, n4 in A, ...) with a latency per pair of zones, whatever the cluster's size; `matrix`
 * sets links by name, "n1->n2" for one direction or "n1<->n2" for both, and wins over both. `jitterMs`
 * is one number for every link, a tenth of each link's latency when absent. Links at 0 ms are left
 * alone. Returns the links, or every problem found in the parameters.
 */
export function latencyMatrix(members: string[], params: Record<string, unknown>): LinkLatency[] | string[] {
  const problems: string[] = [];
  const latencies = new Map<string, number>();
  const known = (member: string): boolean => members.includes(member) || (problems.push(`${member} is not a member (${members.join(", ")})`), false);
  const zones = params["zones"];
  if (zones !== undefined) {
    const zoneLatency = params["zoneLatencyMs"] ?? 50;
    if (!Array.isArray(zones) || !zones.every((zone) => Array.isArray(zone) && zone.every((member) => typeof member === "string"))) {
      problems.push(`zones is a list of member lists, e.g. [["n1"],["n2","n3"]], got ${JSON.stringify(zones)}`);
    } else if (!isMs(zoneLatency)) {
      problems.push(`zoneLatencyMs is a number of milliseconds >= 0, got ${JSON.stringify(zoneLatency)}`);
    } else {
      const lists = zones as string[][];
      const placed = lists.flat();
      for (const member of new Set(placed)) if (placed.indexOf(member) !== placed.lastIndexOf(member)) problems.push(`${member} is in more than one zone`);
      lists.forEach((zone, index) =>
        lists.forEach((other, otherIndex) => {
          if (index === otherIndex) return;
          for (const from of zone) for (const to of other) if (known(from) && known(to)) latencies.set(`${from}->${to}`, zoneLatency);
        }),
      );
    }
  }
  const distances = params["zoneDistances"];
  if (distances !== undefined) {
    if (distances === null || typeof distances !== "object" || Array.isArray(distances)) {
      problems.push(`zoneDistances maps zone pairs to milliseconds, e.g. {"A-B": 30, "B-C": 40, "A-C": 70}, got ${JSON.stringify(distances)}`);
    } else {
      const pairs = new Map<string, number>();
      for (const [key, value] of Object.entries(distances as Record<string, unknown>)) {
        const match = /^([\w.]+)-([\w.]+)$/.exec(key);
        if (!match || match[1] === match[2]) problems.push(`zoneDistances key "${key}" is not two zones, such as "A-B"`);
        else if (!isMs(value)) problems.push(`zoneDistances["${key}"] is a number of milliseconds >= 0, got ${JSON.stringify(value)}`);
        else pairs.set([match[1], match[2]].sort().join("-"), value);
      }
      const zoneNames = [...new Set([...pairs.keys()].flatMap((pair) => pair.split("-")))].sort();
      const ordered = [...members].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
      const zoneOf = (member: string): string => zoneNames[ordered.indexOf(member) % zoneNames.length]!;
      for (const from of ordered) {
        for (const to of ordered) {
          if (from === to || zoneOf(from) === zoneOf(to) || zoneNames.length === 0) continue;
          const pair = [zoneOf(from), zoneOf(to)].sort().join("-");
          const latency = pairs.get(pair);
          if (latency === undefined) problems.push(`zoneDistances has no distance between zones ${pair.replace("-", " and ")}`);
          else latencies.set(`${from}->${to}`, latency);
        }
      }
    }
  }
  const matrix = params["matrix"];
  if (matrix !== undefined) {
    if (matrix === null || typeof matrix !== "object" || Array.isArray(matrix)) {
      problems.push(`matrix maps links to milliseconds, e.g. {"n1->n2": 50, "n1<->n3": 80}, got ${JSON.stringify(matrix)}`);
    } else {
      for (const [key, value] of Object.entries(matrix as Record<string, unknown>)) {
        const match = /^(n\d+)(<->|->)(n\d+)$/.exec(key);
        if (!match || match[1] === match[3]) problems.push(`matrix key "${key}" is not "n1->n2" or "n1<->n2"`);
        else if (!isMs(value)) problems.push(`matrix["${key}"] is a number of milliseconds >= 0, got ${JSON.stringify(value)}`);
        else if (known(match[1]!) && known(match[3]!)) {
          latencies.set(`${match[1]}->${match[3]}`, value);
          if (match[2] === "<->") latencies.set(`${match[3]}->${match[1]}`, value);
        }
      }
    }
  }
  const jitter = params["jitterMs"];
  if (jitter !== undefined && !isMs(jitter)) problems.push(`jitterMs is a number of milliseconds >= 0, got ${JSON.stringify(jitter)}`);
  if (zones === undefined && distances === undefined && matrix === undefined) problems.push("a latency matrix needs zones, zoneDistances or matrix");
  if (problems.length > 0) return [...new Set(problems)];
  const links = [...latencies]
    .filter(([, latencyMs]) => latencyMs > 0)
    .map(([name, latencyMs]) => ({ link: parseLink(name), latencyMs, jitterMs: (jitter as number | undefined) ?? Math.round(latencyMs / 10) }));
  if (links.length === 0) return ["every link of the matrix is at 0 ms: nothing to slow"];
  return links.sort((a, b) => linkName(a.link).localeCompare(linkName(b.link)));
}

const isMs = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value) && value >= 0;
