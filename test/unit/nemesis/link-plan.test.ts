// Link selection for link faults and the WAN latency matrix.
import { describe, expect, it } from "vitest";
import { linkName } from "../../../harness/cluster/links.ts";
import { latencyMatrix, linkChoice, selectLinks, type LinkLatency } from "../../../nemesis/link-plan.ts";

const members = ["n1", "n2", "n3"];
const names = (links: Parameters<typeof linkName>[0][]) => links.map(linkName);

describe("selectLinks", () => {
  it("takes a target's peer links out, in or both", () => {
    expect(names(selectLinks(members, ["n2"], { links: "peer", direction: "out" }))).toEqual(["n2->n1", "n2->n3"]);
    expect(names(selectLinks(members, ["n2"], { links: "peer", direction: "in" }))).toEqual(["n1->n2", "n3->n2"]);
    expect(names(selectLinks(members, ["n2"], { links: "peer", direction: "both" }))).toEqual(["n2->n1", "n1->n2", "n2->n3", "n3->n2"]);
  });

  it("takes client links: out is the member's responses, in the requests to it", () => {
    expect(names(selectLinks(members, ["n1"], { links: "client", direction: "both" }))).toEqual(["n1->client", "client->n1"]);
    expect(names(selectLinks(members, ["n1"], { links: "both", direction: "in" }))).toEqual(["n2->n1", "n3->n1", "client->n1"]);
  });

  it("lists every directed link once when targets share links", () => {
    const all = names(selectLinks(members, members, { links: "peer", direction: "both" }));
    expect(all).toHaveLength(6);
    expect(new Set(all).size).toBe(6);
  });

  it("reads links and direction, defaulting to peer links both ways", () => {
    expect(linkChoice({})).toEqual({ links: "peer", direction: "both" });
    expect(linkChoice({ links: "client", direction: "out" })).toEqual({ links: "client", direction: "out" });
    expect(linkChoice({ links: "all" })).toMatch(/links is peer, client or both/);
    expect(linkChoice({ direction: "up" })).toMatch(/direction is out, in or both/);
  });
});

const table = (result: LinkLatency[] | string[]) => {
  if (typeof result[0] === "string") throw new Error(`unexpected problems: ${result.join("; ")}`);
  return Object.fromEntries((result as LinkLatency[]).map(({ link, latencyMs, jitterMs }) => [linkName(link), [latencyMs, jitterMs]]));
};

describe("latencyMatrix", () => {
  it("puts the zone latency on every link between zones and none inside a zone", () => {
    expect(table(latencyMatrix(members, { zones: [["n1"], ["n2", "n3"]], zoneLatencyMs: 40 }))).toEqual({
      "n1->n2": [40, 4],
      "n1->n3": [40, 4],
      "n2->n1": [40, 4],
      "n3->n1": [40, 4],
    });
  });

  it("sets links from the matrix, one way or both, over the zones, with one jitter for all when given", () => {
    const result = table(latencyMatrix(members, { zones: [["n1"], ["n2"], ["n3"]], matrix: { "n1<->n2": 10, "n3->n1": 0, "n2->n3": 90 }, jitterMs: 3 }));
    expect(result).toEqual({
      "n1->n2": [10, 3],
      "n1->n3": [50, 3],
      "n2->n1": [10, 3],
      "n2->n3": [90, 3],
      "n3->n2": [50, 3],
    });
  });

  it("names every problem with the parameters", () => {
    expect(latencyMatrix(members, {})).toEqual(["a latency matrix needs zones, zoneDistances or matrix"]);
    const problems = latencyMatrix(members, { matrix: { "n1->n9": 5, "n1-n2": 5, "n2->n3": -1 }, jitterMs: "x" }) as string[];
    expect(problems).toEqual([
      "n9 is not a member (n1, n2, n3)",
      'matrix key "n1-n2" is not "n1->n2" or "n1<->n2"',
      'matrix["n2->n3"] is a number of milliseconds >= 0, got -1',
      'jitterMs is a number of milliseconds >= 0, got "x"',
    ]);
    expect(latencyMatrix(members, { zones: [["n1", "n2"], ["n2", "n3"]] })).toEqual(["n2 is in more than one zone"]);
    expect(latencyMatrix(members, { zones: "n1" })).toEqual([expect.stringMatching(/zones is a list of member lists/)]);
    expect(latencyMatrix(members, { matrix: { "n1->n2": 0 } })).toEqual(["every link of the matrix is at 0 ms: nothing to slow"]);
  });
});
