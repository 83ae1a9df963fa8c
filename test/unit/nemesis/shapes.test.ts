// Partition shapes as link sets: rings keep a majority per member, one-way cuts keep the other direction.
import { describe, expect, it } from "vitest";
import { oneWayLinks, ringCuts } from "../../../nemesis/partition.ts";

const names = (n: number): string[] => Array.from({ length: n }, (_, index) => `n${index + 1}`);

function visible(members: string[], cut: Array<{ from: string; to: string }>): Map<string, string[]> {
  const blocked = new Set(cut.map((link) => `${link.from}->${link.to}`));
  return new Map(members.map((member) => [member, members.filter((other) => other === member || !blocked.has(`${member}->${other}`))]));
}

describe("ringCuts", () => {
  it.each([5, 7, 9])("on %i members, every member sees a majority and no two see the same one", (n) => {
    const members = names(n);
    const cut = ringCuts(members);
    const seen = visible(members, cut);
    for (const group of seen.values()) expect(group.length).toBeGreaterThanOrEqual(Math.floor(n / 2) + 1);
    expect(new Set([...seen.values()].map((group) => group.join(","))).size).toBe(n);
    for (const link of cut) expect(cut).toContainEqual({ from: link.to, to: link.from });
  });
});

describe("oneWayLinks", () => {
  it("cuts only what the targets send, or only what they receive", () => {
    expect(oneWayLinks(names(3), ["n1"], "out")).toEqual([
      { from: "n1", to: "n2" },
      { from: "n1", to: "n3" },
    ]);
    expect(oneWayLinks(names(3), ["n1"], "in")).toEqual([
      { from: "n2", to: "n1" },
      { from: "n3", to: "n1" },
    ]);
  });
});
