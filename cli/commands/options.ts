// Parsers for command-line values; each rejects bad input with a message that says what is expected.
import { InvalidArgumentError } from "commander";
import { parseDurationMs } from "../../record/duration.ts";
import { isEtcdVersion, knownEtcdVersions } from "../../harness/images/catalog.ts";

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

export function oneOf<T extends string>(allowed: readonly T[]): (text: string) => T {
  return (text) => {
    if (!(allowed as readonly string[]).includes(text)) throw new InvalidArgumentError(`expected one of ${allowed.join(", ")}`);
    return text as T;
  };
}

/** Collects repeated `member=version` values (`n3=3.6.16`) into one record. */
export function memberVersion(text: string, previous: Record<string, string>): Record<string, string> {
  const match = /^(n\d+)=(\S+)$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError("expected member=version, such as n3=3.6.16");
  const [, member, version] = match as unknown as [string, string, string];
  if (!isEtcdVersion(version)) throw new InvalidArgumentError(`expected one of the releases ${knownEtcdVersions.join(", ")}`);
  return { ...previous, [member]: version };
}
