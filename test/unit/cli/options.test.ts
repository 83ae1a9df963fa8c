// Command-line value parsers and their messages.
import { InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";
import { duration, integerIn, oneOf, positiveNumber } from "../../../cli/commands/options.ts";

describe("command-line value parsers", () => {
  it("accept what they promise", () => {
    expect(integerIn(1, 9)("5")).toBe(5);
    expect(positiveNumber(100)("12.5")).toBe(12.5);
    expect(duration(5000, 60_000)("30s")).toBe(30_000);
    expect(oneOf(["a", "b"] as const)("b")).toBe("b");
  });

  it("reject the rest with a message saying what is expected", () => {
    expect(() => integerIn(1, 9)("0")).toThrow(new InvalidArgumentError("expected a whole number from 1 to 9"));
    expect(() => integerIn(1, 9)("2.5")).toThrow(InvalidArgumentError);
    expect(() => positiveNumber(100)("-1")).toThrow(InvalidArgumentError);
    expect(() => duration(5000, 60_000)("1s")).toThrow("expected a duration from 5s to 60s");
    expect(() => duration(5000, 60_000)("ten")).toThrow("expected a duration such as");
    expect(() => oneOf(["a", "b"] as const)("c")).toThrow("expected one of a, b");
  });
});
