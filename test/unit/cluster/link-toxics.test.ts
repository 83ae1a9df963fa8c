// Toxic planning: which proxy streams carry a directed link, toxic names, and the checks on a toxic set.
import { describe, expect, it } from "vitest";
import { linkName, parseLink, placementsOf, planToxics, type Link } from "../../../harness/cluster/links.ts";

const latency = { type: "latency" as const, attributes: { latency: 100, jitter: 10 } };

describe("placementsOf", () => {
  it("puts a peer link a->b on the upstream of a's proxy a->b and the downstream of b's proxy b->a", () => {
    expect(placementsOf({ kind: "peer", from: "n1", to: "n3" })).toEqual([
      { pod: "n1", proxy: "n1->n3", stream: "upstream", crossing: "requests" },
      { pod: "n3", proxy: "n3->n1", stream: "downstream", crossing: "responses" },
    ]);
  });

  it("puts client requests on the client proxy's upstream and responses on its downstream", () => {
    expect(placementsOf({ kind: "client", member: "n2", carries: "requests" })).toEqual([{ pod: "n2", proxy: "client", stream: "upstream", crossing: "requests" }]);
    expect(placementsOf({ kind: "client", member: "n2", carries: "responses" })).toEqual([{ pod: "n2", proxy: "client", stream: "downstream", crossing: "responses" }]);
  });
});

describe("link names", () => {
  it("round-trip through parseLink", () => {
    const links: Link[] = [
      { kind: "peer", from: "n1", to: "n2" },
      { kind: "client", member: "n3", carries: "requests" },
      { kind: "client", member: "n3", carries: "responses" },
    ];
    expect(links.map(linkName)).toEqual(["n1->n2", "client->n3", "n3->client"]);
    expect(links.map(linkName).map(parseLink)).toEqual(links);
  });

  it("rejects what is not a link", () => {
    for (const bad of ["n1->n1", "n1-n2", "client->client", "x->n1", "n1->"]) expect(() => parseLink(bad), bad).toThrow(/not a link/);
  });
});

describe("planToxics", () => {
  it("names each toxic after its set and stream, unique on every proxy even with both directions slowed", () => {
    const planned = planToxics("slow", [
      { link: { kind: "peer", from: "n1", to: "n2" }, spec: latency },
      { link: { kind: "peer", from: "n2", to: "n1" }, spec: { ...latency, attributes: { latency: 30, jitter: 0 } } },
    ]);
    expect(planned.map((toxic) => [toxic.pod, toxic.proxy, toxic.toxic.name, toxic.toxic.attributes["latency"]])).toEqual([
      ["n1", "n1->n2", "slow-upstream", 100],
      ["n2", "n2->n1", "slow-downstream", 100],
      ["n2", "n2->n1", "slow-upstream", 30],
      ["n1", "n1->n2", "slow-downstream", 30],
    ]);
    const perProxy = planned.map((toxic) => `${toxic.pod}/${toxic.proxy}/${toxic.toxic.name}`);
    expect(new Set(perProxy).size).toBe(perProxy.length);
    expect(planned.every((toxic) => toxic.toxic.toxicity === 1 && toxic.toxic.type === "latency")).toBe(true);
  });

  it("refuses a link given twice, bad attributes, bad toxicity and bad names", () => {
    const link: Link = { kind: "peer", from: "n1", to: "n2" };
    expect(() => planToxics("x", [{ link, spec: latency }, { link, spec: latency }])).toThrow(/n1->n2 given twice/);
    expect(() => planToxics("x", [{ link, spec: { type: "latency", attributes: { latency: -1 } } }])).toThrow(/latency=-1/);
    expect(() => planToxics("x", [{ link, spec: { ...latency, toxicity: 2 } }])).toThrow(/toxicity/);
    expect(() => planToxics("bad name/", [{ link, spec: latency }])).toThrow(/toxic set name/);
  });
});
