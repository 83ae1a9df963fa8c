// Durations on the command line and in scenarios: "500ms", "30s", "2m", "1h" or "1m30s".
const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const pattern = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const part = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** Milliseconds in a duration string, or undefined when it is not one. */
export function parseDurationMs(text: string): number | undefined {
  const trimmed = text.trim();
  if (!pattern.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(part)) {
    total += Number(amount) * unitMs[unit as string]!;
  }
  return total;
}

/** "1m30s" style rendering, for messages and reports. */
export function formatDurationMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds ? `${minutes}m${seconds}s` : `${minutes}m`;
}
