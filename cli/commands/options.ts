// Parsers for command-line values; each rejects bad input with a message that says what is expected.
import { InvalidArgumentError } from "commander";
import { parseDurationMs } from "../../record/duration.ts";
import { parseFlag } from "../../harness/cluster/member-flags.ts";
import { parseRelease } from "../../harness/images/etcd-releases.ts";

export function integerIn(min: number, max: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return value;
  };
}

export function positiveNumber(max: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0 || value > max) throw new InvalidArgumentError(`expected a number above 0 and at most ${max}`);
    return value;
  };
}

export function duration(minMs: number, maxMs: number): (text: string) => number {
  return (text) => {
    const ms = parseDurationMs(text);
    if (ms === undefined) throw new InvalidArgumentError("expected a duration such as 500ms, 30s, 2m or 1m30s");
    if (ms < minMs || ms > maxMs) throw new InvalidArgumentError(`expected a duration from ${minMs / 1000}s to ${maxMs / 1000}s`);
    return ms;
  };
}

/** `2s/3s`: a cycling fault in place 2 s, then healed 3 s; `2s` alone keeps each fault's own off time. */
export function faultInterval(text: string): { onMs: number; offMs?: number } {
  const [on, off, ...rest] = text.split("/");
  const within = duration(0, 600_000);
  if (rest.length > 0 || !on) throw new InvalidArgumentError("expected on/off durations such as 2s/3s, or one duration such as 2s");
  return { onMs: within(on), ...(off !== undefined ? { offMs: within(off) } : {}) };
}

export function oneOf<T extends string>(allowed: readonly T[]): (text: string) => T {
  return (text) => {
    if (!(allowed as readonly string[]).includes(text)) throw new InvalidArgumentError(`expected one of ${allowed.join(", ")}`);
    return text as T;
  };
}

/** Collects repeated `member=version` values (`n3=3.6.16`) into one record; whether the release can be had is checked later. */
export function memberVersion(text: string, previous: Record<string, string> = {}): Record<string, string> {
  const match = /^(n\d+)=(\S+)$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError("expected member=version, such as n3=3.6.16");
  const [, member, version] = match as unknown as [string, string, string];
  const parsed = parseRelease(version);
  if ("error" in parsed) throw new InvalidArgumentError(parsed.error);
  return { ...previous, [member]: parsed.version };
}

/** Collects repeated etcd flags (`heartbeat-interval=100`) as etcd takes them (`--heartbeat-interval=100`). */
export function etcdFlag(text: string, previous: string[] = []): string[] {
  try {
    return [...previous, parseFlag(text)];
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** Collects repeated `member:flag` values (`n2:snapshot-count=500`) into flags per member. */
export function memberEtcdFlag(text: string, previous: Record<string, string[]> = {}): Record<string, string[]> {
  const match = /^(n\d+):(.+)$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError("expected member:name=value, such as n2:snapshot-count=500");
  const [, member, flag] = match as unknown as [string, string, string];
  try {
    return { ...previous, [member]: [...(previous[member] ?? []), parseFlag(flag)] };
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}
