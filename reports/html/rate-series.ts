// Throughput (ok/fail/info completions per second) and latency percentiles of ok operations, bucketed over the run.
import { opType, type OperationTable } from "./operation-table.ts";

export interface RateSeries {
  /** Seconds on the run clock at each bucket's start. */
  time: number[];
  bucketS: number;
  /** Completions per second in each bucket; an operation that never completed counts as info at its invocation. */
  ok: number[];
  fail: number[];
  info: number[];
  /**
   * Milliseconds from invocation to completion of ok operations that completed in the bucket; null when
   * none did. Watch sessions last as long as they are kept open, so they are left out.
   */
  p50: Array<number | null>;
  p99: Array<number | null>;
  max: Array<number | null>;
}

const maxBuckets = 1200;
const sessionOperations = ["watch"];

export function rateSeries(table: OperationTable, fromUs: number, toUs: number): RateSeries {
  const spanS = Math.max(1, (toUs - fromUs) / 1e6);
  const bucketS = Math.max(1, Math.ceil(spanS / maxBuckets));
  const first = Math.floor(fromUs / 1e6 / bucketS);
  const buckets = Math.max(1, Math.floor(toUs / 1e6 / bucketS) - first + 1);
  const counts = [new Array<number>(buckets).fill(0), new Array<number>(buckets).fill(0), new Array<number>(buckets).fill(0)];
  const latencies: number[][] = Array.from({ length: buckets }, () => []);
  const type = table.columns.type;
  const sessions = new Set(sessionOperations.map((name) => table.strings.indexOf(name)).filter((id) => id >= 0));
  for (let op = 0; op < table.count; op++) {
    const end = table.endUs[op]!;
    const at = Number.isNaN(end) ? table.startUs[op]! : end;
    const bucket = Math.min(buckets - 1, Math.max(0, Math.floor(at / 1e6 / bucketS) - first));
    const kind = type[op]!;
    counts[kind]![bucket]!++;
    if (kind === opType.ok && !sessions.has(table.columns.f[op]!)) latencies[bucket]!.push((end - table.startUs[op]!) / 1000);
  }
  const percentile = (sorted: number[], q: number): number | null =>
    sorted.length === 0 ? null : round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
  const sortedLatencies = latencies.map((values) => values.sort((a, b) => a - b));
  return {
    time: Array.from({ length: buckets }, (_, index) => (first + index) * bucketS),
    bucketS,
    ok: counts[opType.ok]!.map((count) => count / bucketS),
    fail: counts[opType.fail]!.map((count) => count / bucketS),
    info: counts[opType.info]!.map((count) => count / bucketS),
    p50: sortedLatencies.map((values) => percentile(values, 0.5)),
    p99: sortedLatencies.map((values) => percentile(values, 0.99)),
    max: sortedLatencies.map((values) => (values.length === 0 ? null : round(values[values.length - 1]!))),
  };
}

const round = (ms: number): number => Math.round(ms * 100) / 100;
