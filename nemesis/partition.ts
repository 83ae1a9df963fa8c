// Network partitions: blackhole every peer link between the targets and the rest, both directions.
import type { Nemesis } from "./nemesis.ts";

/** Cuts the targets off from every other member; the targets still reach each other. */
export const isolateNemesis: Nemesis = {
  name: "partition",
  unavailableReason: (cluster) => (cluster.members.length < 3 ? "a partition needs at least 3 members" : undefined),
  async inject({ cluster }, targets) {
    const rest = cluster.names.filter((name) => !targets.includes(name));
    await cluster.links.partition([targets, rest]);
    return { groups: [targets, rest], links: cluster.links.cutLinks().length };
  },
  async heal({ cluster }) {
    await cluster.links.healAll();
  },
};
