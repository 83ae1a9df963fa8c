// Durations as people type them.
import { describe, expect, it } from "vitest";
import { formatDurationMs, parseDurationMs } from "../../../record/duration.ts";

describe("parseDurationMs", () => {
  it("reads the units people type", () => {
    expect(parseDurationMs("500ms")).toBe(500);
    expect(parseDurationMs("30s")).toBe(30_000);
    expect(parseDurationMs("2m")).toBe(120_000);
    expect(parseDurationMs("1m30s")).toBe(90_000);
    expect(parseDurationMs("1.5s")).toBe(1500);
  });
  it("rejects what is not a duration", () => {
    for (const bad of ["", "30", "s", "-1s", "3 s", "1d", "1s2"]) expect(parseDurationMs(bad)).toBeUndefined();
  });
  it("formats for people", () => {
    expect(formatDurationMs(250)).toBe("250ms");
    expect(formatDurationMs(1500)).toBe("1.5s");
    expect(formatDurationMs(90_000)).toBe("1m30s");
  });
});
