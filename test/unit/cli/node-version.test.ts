// The Node.js the harness needs is checked when it starts, not by npm on every npx: a too-old Node gets one line saying what to run.
import { describe, expect, it } from "vitest";
import { nodeTooOld } from "../../../cli/node-version.ts";

describe("nodeTooOld", () => {
  it("accepts 22.22 and later, the Node 24 that npm ci brings among them", () => {
    expect(nodeTooOld("22.22.0")).toBeUndefined();
    expect(nodeTooOld("24.21.0")).toBeUndefined();
    expect(nodeTooOld("26.1.0")).toBeUndefined();
  });

  it("refuses older ones, saying how to get the right one", () => {
    expect(nodeTooOld("20.20.2")).toMatch(/^needs Node\.js >= 22\.22, this is 20\.20\.2; run it as `npx harness`/);
    expect(nodeTooOld("22.21.9")).toBeDefined();
  });
});
