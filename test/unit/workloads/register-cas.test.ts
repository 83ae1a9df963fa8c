// A cas whose compare etcd found false is recorded ok with false: an observation, so a cas etcd wrongly rejected is caught.
import type { Etcd3 } from "etcd3";
import { describe, expect, it } from "vitest";
import { checkHistory, createModel } from "../../../checkers/linearizability/index.ts";
import { durabilityChecker } from "../../../checkers/durability.ts";
import type { HistoryEntry } from "../../../record/history/entry.ts";
import { casInvocation } from "../../../workloads/register.ts";
import { recordedRun, s } from "../checkers/fixtures.ts";

/** A client whose every txn comes back with the compare false, as etcd answers a cas that found another value. */
const rejecting = { kv: { txn: async () => ({ succeeded: false, header: { revision: "7" }, responses: [] }) } } as unknown as Etcd3;

describe("register cas", () => {
  it("records a compare that did not hold as ok with false, at the revision etcd answered", async () => {
    const invocation = casInvocation("r0", 1, 2, { values: new Map(), modRevisions: new Map() });
    expect(await invocation.run(rejecting, { deadline: new Date(Date.now() + 1000) })).toEqual({ type: "ok", value: false, revision: 7 });
  });

  /** write r0=1 acknowledged; then a cas(1, 2) that etcd rejected although r0 held 1; then a read of 1. */
  const wronglyRejected = (cas: "ok" | "fail"): HistoryEntry[] =>
    [
      { time: s(1), process: 1, type: "invoke", f: "write", key: "r0", value: 1 },
      { time: s(1.1), process: 1, type: "ok", f: "write", key: "r0", value: 1 },
      { time: s(2), process: 2, type: "invoke", f: "cas", key: "r0", value: [1, 2] },
      cas === "ok"
        ? { time: s(2.1), process: 2, type: "ok" as const, f: "cas", key: "r0", value: false }
        : { time: s(2.1), process: 2, type: "fail" as const, f: "cas", key: "r0", value: [1, 2], error: "compare failed: r0 did not hold 1" },
      { time: s(3), process: 3, type: "invoke", f: "read", key: "r0" },
      { time: s(3.1), process: 3, type: "ok", f: "read", key: "r0", value: 1 },
    ].map((entry, index) => ({ ...entry, index }) as HistoryEntry);

  it("catches a cas etcd wrongly rejected, which a fail would have hidden", () => {
    const caught = checkHistory(wronglyRejected("ok"), createModel("register"));
    expect(caught.verdict).toBe("invalid");
    // Recorded as fail (the old way), the cas is dropped before the search and the history passes.
    expect(checkHistory(wronglyRejected("fail"), createModel("register")).verdict).toBe("valid");
  });

  it("counts a cas that found another value as no write for durability", () => {
    const history = wronglyRejected("ok");
    const finals = [
      { index: 6, time: s(4), process: 9, type: "invoke" as const, f: "read", key: "r0", node: "n1" },
      { index: 7, time: s(4.1), process: 9, type: "ok" as const, f: "read", key: "r0", node: "n1", value: 1 },
    ];
    const result = durabilityChecker.check(
      recordedRun({ history: [...history, ...finals], faults: [], finalReads: { workload: "register", from: s(4), to: s(4.2), keys: ["r0"], members: ["n1"], processes: [9] } }),
    );
    expect(result.verdict, result.summary).toBe("valid");
  });
});
