// How each kind of toxic shows on real traffic: which stream to probe, what to send, and what the answer must show.
import type { Cluster } from "../harness/cluster/backend.ts";
import { exchange, largePath, smallPath, type ExchangeRequest, type ExchangeResult } from "../harness/cluster/link-probe.ts";
import { linkName, placementsOf, type Link, type ToxicSpec } from "../harness/cluster/links.ts";
import { measured, type Measured } from "./nemesis.ts";

export interface Gauge {
  /** The stream of the link the probe must cross; "either" takes the first the link has. */
  crossing: "requests" | "responses" | "either";
  request(link: Link, spec: ToxicSpec, phase: "before" | "during"): ExchangeRequest;
  /** Exchanges per measurement, one after the other. */
  samples: number;
  /** Whether the toxic shows on one link, from the exchanges before and during it, and a phrase with the figures. */
  judge(before: Probe[], during: Probe[], spec: ToxicSpec): { bit: boolean; evidence: string };
}

/** One exchange across a link: what was sent and what came back. */
export interface Probe {
  request: ExchangeRequest;
  result: ExchangeResult;
}

export interface ToxicOnLink {
  link: Link;
  spec: ToxicSpec;
}

export type Readings = Map<string, Probe[]>;

/** Probes every link at once, each through the stream its gauge needs. */
export async function measureLinks(
  cluster: Cluster,
  toxics: ToxicOnLink[],
  gauge: Gauge,
  phase: "before" | "during",
): Promise<Readings> {
  const readings = await Promise.all(
    toxics.map(async ({ link, spec }) => {
      const placement = placementsOf(link).find((candidate) => gauge.crossing === "either" || candidate.crossing === gauge.crossing);
      if (!placement) throw new Error(`${linkName(link)} has no stream carrying ${gauge.crossing} to probe`);
      const results = await cluster.links.probe(placement, async (endpoint, tls) => {
        const taken: Probe[] = [];
        for (let sample = 0; sample < gauge.samples; sample++) {
          const request = gauge.request(link, spec, phase);
          taken.push({ request, result: await exchange(endpoint, request, tls) });
        }
        return taken;
      });
      return [linkName(link), results] as const;
    }),
  );
  return new Map(readings);
}

/** A fault bit when its toxic shows on every link it was put on. */
export function judgeLinks(toxics: ToxicOnLink[], before: Readings, during: Readings, gauge: Gauge): Measured {
  const verdicts = toxics.map(({ link, spec }) => {
    const name = linkName(link);
    return { name, ...gauge.judge(before.get(name) ?? [], during.get(name) ?? [], spec) };
  });
  const missed = verdicts.filter((verdict) => !verdict.bit).map((verdict) => verdict.name);
  const evidence = verdicts.map((verdict) => `${verdict.name} ${verdict.evidence}`).join("; ");
  return measured(missed.length === 0, missed.length > 0 ? `did not show on ${missed.join(", ")}: ${evidence}` : evidence);
}

const ms = (value: number | undefined): string => (value === undefined ? "no answer" : `${value < 10 ? value.toFixed(1) : Math.round(value)}ms`);
const median = (values: number[]): number | undefined => (values.length === 0 ? undefined : [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]);
const attribute = (spec: ToxicSpec, name: string): number => spec.attributes[name] ?? 0;

/**
 * ms to the first byte of a small answer: the toxic's latency is added to the request or the response.
 * Before, the quickest answer counts (a busy host only ever adds time); during, the median.
 */
export const latencyGauge: Gauge = {
  crossing: "either",
  samples: 3,
  request: (_link, spec) => ({ path: smallPath, timeoutMs: 3000 + 4 * (attribute(spec, "latency") + attribute(spec, "jitter")) }),
  judge(before, during, spec) {
    const answers = before.flatMap(({ result }) => (result.firstByteMs === undefined ? [] : [result.firstByteMs]));
    const then = answers.length > 0 ? Math.min(...answers) : undefined;
    const now = median(during.flatMap(({ result }) => (result.firstByteMs === undefined ? [] : [result.firstByteMs])));
    const latency = attribute(spec, "latency");
    const bit = then !== undefined && now !== undefined && now - then >= latency / 2;
    return { bit, evidence: `answered in ${ms(then)} before, ${ms(now)} with ${latency}±${attribute(spec, "jitter")}ms latency` };
  },
};

/** Bytes per second across the capped stream: a padded request, or a large answer on a client link's responses. */
export const bandwidthGauge: Gauge = {
  crossing: "either",
  samples: 1,
  request(link, spec) {
    const rate = attribute(spec, "rate") * 1000;
    if (carriesResponsesFirst(link)) return { path: largePath, timeoutMs: 2500 };
    // About 0.4 s worth of data at the cap: long enough to measure, short enough not to hold up the run.
    const padding = Math.round(Math.min(400_000, Math.max(2000, rate * 0.4)));
    return { path: smallPath, paddingBytes: padding, timeoutMs: 3000 + (3000 * padding) / Math.max(rate, 1) };
  },
  judge(before, during, spec) {
    const cap = attribute(spec, "rate") * 1000;
    const then = throughput(before[0]);
    const now = throughput(during[0]);
    const bit = then !== undefined && now !== undefined && now <= cap * 1.5 && then >= cap * 2;
    const why = then !== undefined && then < cap * 2 ? " (no faster than the cap before, so the cap cannot show)" : "";
    return { bit, evidence: `carried ${rate(then)} before, ${rate(now)} with a cap of ${rate(cap)}${why}` };
  },
};

/** Pieces a small answer arrives in: the slicer cuts the response stream into small slices. */
export const slicerGauge: Gauge = {
  crossing: "responses",
  samples: 1,
  request: (link, spec) => ({ path: link.kind === "peer" ? "/members" : smallPath, timeoutMs: 3000 + attribute(spec, "delay") / 10 }),
  judge(before, during, spec) {
    const [then, now] = [before[0]?.result, during[0]?.result];
    const answered = then?.status !== undefined && now?.status !== undefined;
    // A busy host may read several slices at once, so the slices also show as the answer spread over time.
    const spread = (result: ExchangeResult | undefined) => (result?.lastByteMs ?? 0) - (result?.firstByteMs ?? 0);
    const delaysMs = (Math.ceil((now?.bytes ?? 0) / Math.max(1, attribute(spec, "average_size"))) * attribute(spec, "delay")) / 1000;
    const bit = answered && (now.chunks >= Math.max(3, 2 * then.chunks) || spread(now) - spread(then) >= delaysMs / 4);
    return { bit, evidence: `answer of ${now?.bytes ?? "?"} bytes arrived in ${then?.chunks ?? "?"} pieces over ${ms(spread(then))} before, ${now?.chunks ?? "?"} over ${ms(spread(now))} when sliced` };
  },
};

/** ms between the last byte of an answer and the far side's close, which the toxic holds back. */
export const slowCloseGauge: Gauge = {
  crossing: "responses",
  samples: 1,
  request: (_link, spec) => ({ path: smallPath, close: true, timeoutMs: 3000 + attribute(spec, "delay") }),
  judge(before, during, spec) {
    const closing = (result: ExchangeResult | undefined) => (result?.ended === "closed" && result.lastByteMs !== undefined ? result.endMs - result.lastByteMs : undefined);
    const [then, now] = [closing(before[0]?.result), closing(during[0]?.result)];
    const delay = attribute(spec, "delay");
    const bit = then !== undefined && now !== undefined && now - then >= delay / 2;
    return { bit, evidence: `closed ${ms(then)} after its answer before, ${ms(now)} with a ${delay}ms close delay` };
  },
};

/**
 * Whether an exchange is answered: reset_peer swallows the first data on a connection and cuts it
 * `timeout` ms later, so during the fault the connection is cut and nothing answers. A cut from both
 * ends of a link can take two timeouts, hence the wait.
 */
export const resetGauge: Gauge = {
  crossing: "either",
  samples: 1,
  request: (_link, spec, phase) =>
    phase === "before" ? { path: smallPath, timeoutMs: 3000 } : { path: smallPath, holdMs: 2 * attribute(spec, "timeout") + 1000, timeoutMs: 2 * attribute(spec, "timeout") + 3000 },
  judge(before, during, spec) {
    const [then, now] = [before[0]?.result, during[0]?.result];
    const answered = then?.status !== undefined;
    const cut = now !== undefined && now.status === undefined && (now.ended === "closed" || now.ended === "reset");
    const how = now === undefined ? "was not probed" : cut ? `was ${now.ended === "reset" ? "reset" : "cut"} after ${ms(now.endMs)} without an answer` : `ended ${now.ended} after ${ms(now.endMs)}${now.status !== undefined ? ` with HTTP ${now.status}` : ""}`;
    return {
      bit: answered && cut,
      evidence: `${answered ? `answered in ${ms(then?.firstByteMs)} before` : `got no answer even before (${then?.ended ?? "not probed"})`}; with reset_peer after ${attribute(spec, "timeout")}ms the exchange ${how}`,
    };
  },
};

/** Whether the first stream of the link carries responses (a client link's responses). */
function carriesResponsesFirst(link: Link): boolean {
  return placementsOf(link)[0]!.crossing === "responses";
}

/** Bytes per second: a padded request crossed before the first byte of the answer; a large answer between its first and last byte. */
function throughput(probe: Probe | undefined): number | undefined {
  const result = probe?.result;
  if (!result || result.firstByteMs === undefined) return undefined;
  if (probe.request.paddingBytes) return (probe.request.paddingBytes / result.firstByteMs) * 1000;
  const spread = (result.lastByteMs ?? result.firstByteMs) - result.firstByteMs;
  return spread > 0 ? (result.bytes / spread) * 1000 : undefined;
}

function rate(bytesPerSecond: number | undefined): string {
  if (bytesPerSecond === undefined) return "nothing measurable";
  if (bytesPerSecond >= 1e6) return `${(bytesPerSecond / 1e6).toFixed(1)} MB/s`;
  return `${(bytesPerSecond / 1e3).toFixed(1)} KB/s`;
}
