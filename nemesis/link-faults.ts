// Slow and flaky links through toxiproxy toxics: latency with jitter, bandwidth caps, slicing, slow closes, resets, WAN matrices.
//
// Each fault puts one toxic set (named after the fault) on the targets' peer and/or client links, or on
// the links of a latency matrix, and removes it on heal. Before placing it the fault probes every link
// with a real exchange across the very proxy stream the toxic goes on (see link-probe.ts), and probes
// again just before the heal: the fault took effect when the toxic shows in the figures on every link.
import type { Cluster } from "../harness/cluster/backend.ts";
import { linkName, placementsOf, type ToxicSpec } from "../harness/cluster/links.ts";
import {
  bandwidthGauge,
  judgeLinks,
  latencyGauge,
  measureLinks,
  resetGauge,
  slicerGauge,
  slowCloseGauge,
  type Gauge,
  type ToxicOnLink,
} from "./link-gauges.ts";
import { latencyMatrix, linkChoice, selectLinks } from "./link-plan.ts";
import { faultHandle, type FaultParams, type Nemesis } from "./nemesis.ts";

interface ToxicFault {
  name: string;
  summary: string;
  /** The toxic for these parameters, or what is wrong with them. */
  toxic(params: FaultParams): ToxicSpec | string;
  gauge: Gauge;
}

/** A nemesis that probes, places `toxics` under its own name, probes again before heal, and removes them. */
function toxicNemesis(
  name: string,
  summary: string,
  plan: (cluster: Cluster, targets: string[], params: FaultParams) => ToxicOnLink[] | string,
  gauge: Gauge,
): Nemesis {
  return {
    name,
    summary,
    unavailableReason(cluster, targets, params) {
      const toxics = plan(cluster, targets, params);
      if (typeof toxics === "string") return toxics;
      if (toxics.length === 0) return "these targets and parameters select no link";
      const unprobed = toxics.filter(({ link }) => !placementsOf(link).some((placement) => gauge.crossing === "either" || placement.crossing === gauge.crossing));
      if (unprobed.length > 0) return `${name} shows only on responses, and ${unprobed.map(({ link }) => linkName(link)).join(", ")} carry requests only: use direction out or both`;
      return undefined;
    },
    async inject({ cluster }, targets, params) {
      const toxics = plan(cluster, targets, params) as ToxicOnLink[];
      const before = await measureLinks(cluster, toxics, gauge, "before");
      await cluster.links.toxics.add(name, toxics);
      return faultHandle(
        { links: toxics.map(({ link }) => linkName(link)), toxics: describeToxics(toxics) },
        {
          verify: async () => [judgeLinks(toxics, before, await measureLinks(cluster, toxics, gauge, "during"), gauge)],
          heal: () => cluster.links.toxics.remove(name),
        },
      );
    },
  };
}

/** One toxic on every link the targets, `links` (peer, client, both) and `direction` (out, in, both) select. */
function linkFault(fault: ToxicFault): Nemesis {
  return toxicNemesis(
    fault.name,
    fault.summary,
    (cluster, targets, params) => {
      const choice = linkChoice(params);
      if (typeof choice === "string") return choice;
      const spec = fault.toxic(params);
      if (typeof spec === "string") return spec;
      const toxicity = numberParam(params, "toxicity", 1, 1);
      if (typeof toxicity === "string") return toxicity;
      if (targets.length === 0) return "no targets";
      return selectLinks(cluster.names, targets, choice).map((link) => ({ link, spec: { ...spec, toxicity } }));
    },
    fault.gauge,
  );
}

/** A number parameter, its default when absent, or what is wrong with it. */
export function numberParam(params: FaultParams, name: string, fallback: number, max = Infinity): number | string {
  const value = params[name] ?? fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > max) {
    return `${name} is a number from 0${max === Infinity ? "" : ` to ${max}`}, got ${JSON.stringify(params[name])}`;
  }
  return value;
}

function numbers(params: FaultParams, defaults: Record<string, number>): Record<string, number> | string {
  const values: Record<string, number> = {};
  for (const [name, fallback] of Object.entries(defaults)) {
    const value = numberParam(params, name, fallback);
    if (typeof value === "string") return value;
    values[name] = value;
  }
  return values;
}

export const latencyNemesis = linkFault({
  name: "link-latency",
  summary: "delay the targets' links by latencyMs (100) ± jitterMs (20) each way; links peer|client|both, direction out|in|both",
  toxic(params) {
    const values = numbers(params, { latencyMs: 100, jitterMs: 20 });
    if (typeof values === "string") return values;
    return { type: "latency", attributes: { latency: values["latencyMs"]!, jitter: values["jitterMs"]! } };
  },
  gauge: latencyGauge,
});

export const bandwidthNemesis = linkFault({
  name: "link-bandwidth",
  summary: "cap the targets' links at rateKBps (32) kilobytes per second",
  toxic(params) {
    const values = numbers(params, { rateKBps: 32 });
    if (typeof values === "string") return values;
    if (values["rateKBps"]! < 1) return "rateKBps must be at least 1 (0 is a blackhole: use a partition)";
    return { type: "bandwidth", attributes: { rate: values["rateKBps"]! } };
  },
  gauge: bandwidthGauge,
});

export const slicerNemesis = linkFault({
  name: "link-slicer",
  summary: "cut the targets' streams into slices of averageSize (16) ± sizeVariation (8) bytes, delayUs (500) apart",
  toxic(params) {
    const values = numbers(params, { averageSize: 16, sizeVariation: 8, delayUs: 500 });
    if (typeof values === "string") return values;
    if (values["averageSize"]! < 1 || values["sizeVariation"]! >= values["averageSize"]!) return "averageSize must be at least 1 and larger than sizeVariation";
    return { type: "slicer", attributes: { average_size: values["averageSize"]!, size_variation: values["sizeVariation"]!, delay: values["delayUs"]! } };
  },
  gauge: slicerGauge,
});

export const slowCloseNemesis = linkFault({
  name: "link-slow-close",
  summary: "hold back the close of the targets' connections for delayMs (1000)",
  toxic(params) {
    const values = numbers(params, { delayMs: 1000 });
    if (typeof values === "string") return values;
    return { type: "slow_close", attributes: { delay: values["delayMs"]! } };
  },
  gauge: slowCloseGauge,
});

export const resetPeerNemesis = linkFault({
  name: "link-reset-peer",
  summary: "reset every connection of the targets' links timeoutMs (500) after data arrives on it",
  toxic(params) {
    const values = numbers(params, { timeoutMs: 500 });
    if (typeof values === "string") return values;
    return { type: "reset_peer", attributes: { timeout: values["timeoutMs"]! } };
  },
  gauge: resetGauge,
});

/** A WAN shape: a latency per directed peer link, from zones and/or a matrix (see latencyMatrix); targets are not used. */
export const latencyMatrixNemesis = toxicNemesis(
  "latency-matrix",
  "a WAN: one-way latency per peer link from zones ([[\"n1\"],[\"n2\",\"n3\"]], zoneLatencyMs) and/or matrix ({\"n1<->n2\": 50}), jitterMs",
  (cluster, _targets, params) => {
    const links = latencyMatrix(cluster.names, params);
    if (links.length > 0 && typeof links[0] === "string") return (links as string[]).join("; ");
    return (links as Exclude<typeof links, string[]>).map(({ link, latencyMs, jitterMs }) => ({
      link,
      spec: { type: "latency", attributes: { latency: latencyMs, jitter: jitterMs } },
    }));
  },
  latencyGauge,
);

function describeToxics(toxics: ToxicOnLink[]): Record<string, string> {
  return Object.fromEntries(
    toxics.map(({ link, spec }) => [
      linkName(link),
      `${spec.type} ${Object.entries(spec.attributes).map(([key, value]) => `${key}=${value}`).join(" ")}${spec.toxicity !== undefined && spec.toxicity < 1 ? ` toxicity=${spec.toxicity}` : ""}`,
    ]),
  );
}

export const linkNemeses: Nemesis[] = [latencyNemesis, bandwidthNemesis, slicerNemesis, slowCloseNemesis, resetPeerNemesis, latencyMatrixNemesis];
