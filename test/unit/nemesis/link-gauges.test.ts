// How link faults judge their probes: a toxic shows only when the figures moved the way it moves them.
import { describe, expect, it } from "vitest";
import type { ExchangeResult } from "../../../harness/cluster/link-probe.ts";
import type { Link } from "../../../harness/cluster/links.ts";
import { bandwidthGauge, judgeLinks, latencyGauge, resetGauge, slowCloseGauge, type Probe } from "../../../nemesis/link-gauges.ts";

const answered = (firstByteMs: number, extra: Partial<ExchangeResult> = {}): ExchangeResult => ({
  firstByteMs,
  lastByteMs: firstByteMs,
  endMs: firstByteMs,
  chunks: 1,
  bytes: 170,
  status: 200,
  ended: "answered",
  ...extra,
});
const probe = (result: ExchangeResult, paddingBytes?: number): Probe => ({ request: { path: "/version", timeoutMs: 1000, ...(paddingBytes ? { paddingBytes } : {}) }, result });
const latency = { type: "latency" as const, attributes: { latency: 100, jitter: 10 } };

describe("link gauges", () => {
  it("latency shows when the median answer is slower than the quickest before by at least half the latency", () => {
    const before = [3, 2, 50].map((ms) => probe(answered(ms)));
    expect(latencyGauge.judge(before, [101, 130, 2].map((ms) => probe(answered(ms))), latency)).toEqual({
      bit: true,
      evidence: "answered in 2.0ms before, 101ms with 100±10ms latency",
    });
    expect(latencyGauge.judge(before, [30, 40, 45].map((ms) => probe(answered(ms))), latency).bit).toBe(false);
    expect(latencyGauge.judge(before, [probe({ endMs: 3000, chunks: 0, bytes: 0, ended: "timeout" })], latency).evidence).toMatch(/no answer with/);
  });

  it("a bandwidth cap shows only when the link was faster than the cap before", () => {
    const cap = { type: "bandwidth" as const, attributes: { rate: 32 } };
    // 12.8 KB crossed in 1 ms before and in 400 ms during: 12.8 MB/s, then 32 KB/s.
    expect(bandwidthGauge.judge([probe(answered(1), 12_800)], [probe(answered(400), 12_800)], cap)).toEqual({
      bit: true,
      evidence: "carried 12.8 MB/s before, 32.0 KB/s with a cap of 32.0 KB/s",
    });
    expect(bandwidthGauge.judge([probe(answered(500), 12_800)], [probe(answered(500), 12_800)], cap).evidence).toMatch(/no faster than the cap before/);
    // A large answer: bytes between its first and last byte.
    const big = (first: number, last: number) => probe(answered(first, { lastByteMs: last, bytes: 180_000 }));
    expect(bandwidthGauge.judge([big(5, 10)], [big(5, 1805)], { type: "bandwidth", attributes: { rate: 100 } }).bit).toBe(true);
  });

  it("slow close and reset_peer read how the connection ended", () => {
    const closed = (lastByte: number, end: number) => probe(answered(lastByte, { endMs: end, ended: "closed" }));
    expect(slowCloseGauge.judge([closed(1, 2)], [closed(1, 600)], { type: "slow_close", attributes: { delay: 500 } }).bit).toBe(true);
    expect(slowCloseGauge.judge([closed(1, 2)], [closed(1, 100)], { type: "slow_close", attributes: { delay: 500 } }).bit).toBe(false);
    const reset = { type: "reset_peer" as const, attributes: { timeout: 200 } };
    const cut = probe({ endMs: 205, chunks: 0, bytes: 0, ended: "closed" });
    expect(resetGauge.judge([probe(answered(1))], [cut], reset)).toEqual({
      bit: true,
      evidence: "answered in 1.0ms before; with reset_peer after 200ms the exchange was cut after 205ms without an answer",
    });
    expect(resetGauge.judge([probe(answered(1))], [probe(answered(1, { ended: "held", endMs: 1400 }))], reset).bit).toBe(false);
  });

  it("a fault bit only when its toxic shows on every link, naming those where it did not", () => {
    const links: Link[] = [{ kind: "peer", from: "n1", to: "n2" }, { kind: "peer", from: "n2", to: "n1" }];
    const toxics = links.map((link) => ({ link, spec: latency }));
    const before = new Map([["n1->n2", [probe(answered(1))]], ["n2->n1", [probe(answered(1))]]]);
    const during = new Map([["n1->n2", [probe(answered(120))]], ["n2->n1", [probe(answered(2))]]]);
    const effect = judgeLinks(toxics, before, during, latencyGauge);
    expect(effect.held).toBe(false);
    expect(effect.what).toMatch(/^did not show on n2->n1: n1->n2 answered in 1.0ms before, 120ms with/);
  });
});
