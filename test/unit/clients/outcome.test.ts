// The table that decides whether a failed call is fail (no effect) or info (unknown).
import { describe, expect, it } from "vitest";
import { classifyFailure } from "../../../harness/clients/outcome.ts";

describe("classifyFailure", () => {
  it.each([
    ["compare failed: r1 did not hold 5", "fail"],
    ["etcdserver: mvcc: database space exceeded", "info"],
    ["8 RESOURCE_EXHAUSTED: etcdserver: mvcc: database space exceeded", "info"],
    ["etcdserver: too many requests", "fail"],
    ["etcdserver: request is too large", "fail"],
    ["etcdserver: requested lease not found", "fail"],
    ["4 DEADLINE_EXCEEDED: Deadline exceeded after 1.001s", "info"],
    ["etcdserver: request timed out", "info"],
    ["etcdserver: request timed out, possibly due to previous leader failure", "info"],
    ["etcdserver: leader changed", "info"],
    ["14 UNAVAILABLE: Connection dropped", "info"],
    ["14 UNAVAILABLE: No connection established. Last error: Failed to connect (2026-11-21T09:33:00Z)", "fail"],
    ["read ECONNRESET", "info"],
    ["something nobody has seen before", "info"],
  ])("a call failing with %j is %s", (message, type) => {
    expect(classifyFailure(new Error(message)).type).toBe(type);
  });

  it("keeps the message, on one line", () => {
    expect(classifyFailure(new Error("14 UNAVAILABLE:\n  Connection dropped"))).toEqual({
      type: "info",
      error: "14 UNAVAILABLE: Connection dropped",
    });
  });
});
