// The recovery-time checker on hand-made recoveries: from the disaster to the first write the recovered cluster acknowledged, step by step.
import { describe, expect, it } from "vitest";
import { recoveryTimeChecker, type RecoveryTiming } from "../../../checkers/recovery-time.ts";
import type { Recovery } from "../../../record/recovery.ts";
import { historyOf, recordedRun, recoveryFault, s, type OpRow } from "./fixtures.ts";

const before: OpRow[] = [
  { process: 1, f: "write", key: "r0", node: "n1", invoke: 3.0, complete: 3.1, type: "ok", value: 1, revision: 2 },
  // Sent to the destroyed cluster just before the clients were pointed at the recovered one: it does not count.
  { process: 2, f: "write", key: "r0", node: "n2", invoke: 5.9, complete: 6.1, type: "ok", value: 2, revision: 3 },
];

function check(rows: OpRow[], overrides: Partial<Recovery> = {}) {
  const result = recoveryTimeChecker.check(recordedRun({ history: historyOf([...before, ...rows]), faults: [recoveryFault(overrides)] }));
  return { result, timing: (result["recoveries"] as RecoveryTiming[])[0]! };
}

describe("recovery-time", () => {
  it("times a recovery from the disaster to the first write the recovered cluster acknowledged, with each step", () => {
    const { result, timing } = check([
      { process: 3, f: "read", key: "r0", node: "n4", invoke: 6.05, complete: 6.15, type: "ok", result: 1, revision: 4 },
      { process: 2, f: "write", key: "r0", node: "n4", invoke: 6.2, complete: 6.3, type: "info", value: 3 },
      { process: 4, f: "cas", key: "r0", node: "n5", invoke: 6.3, complete: 6.42, type: "ok", value: [1, 4], revision: 5 },
      { process: 1, f: "write", key: "r0", node: "n6", invoke: 6.25, complete: 6.5, type: "ok", value: 5, revision: 6 },
    ]);
    expect(result.verdict, result.summary).toBe("valid");
    expect(result.summary).toBe(
      "snapshot restore: 2.4s from disaster to the first acknowledged write (clients pointed at n4,n5,n6 after 2.0s; steps: destroy n1,n2,n3 0.3s, snapshot restore n4 1.2s, start n4,n5,n6 0.5s)",
    );
    expect(timing).toMatchObject({ disasterS: 4, pointedAfterS: 2, recoveryS: 2.42, writesInvokedAfter: 3, writesAcknowledgedAfter: 2 });
    expect(timing.firstWrite).toMatchObject({ process: 4, f: "cas", node: "n5", completeS: 6.42 });
    expect(timing.steps.map((step) => [step.name, step.seconds])).toEqual([["destroy n1,n2,n3", 0.3], ["snapshot restore n4", 1.2], ["start n4,n5,n6", 0.5]]);
  });

  it("is invalid when writes were invoked after the recovery and none was acknowledged", () => {
    const { result } = check([
      { process: 3, f: "write", key: "r0", node: "n4", invoke: 6.2, complete: 7.2, type: "info", value: 3 },
      { process: 4, f: "cas", key: "r0", node: "n5", invoke: 6.3, complete: 6.4, type: "fail", value: [1, 4] },
      { process: 5, f: "read", key: "r0", node: "n6", invoke: 6.5, complete: 6.6, type: "ok", result: 1 },
    ]);
    expect(result.verdict).toBe("invalid");
    expect(result.summary).toMatch(/^snapshot restore: none of the 2 writes invoked after the clients pointed at n4,n5,n6 after 2\.0s was acknowledged/);
    expect(result.anomalies).toMatchObject([{ kind: "no-write-after-recovery", ops: [4, 5], members: ["n4", "n5", "n6"], from: s(6), to: s(7.2) }]);
  });

  it("is unknown when no write was invoked after the recovery", () => {
    const { result } = check([{ process: 3, f: "read", key: "r0", node: "n4", invoke: 6.2, complete: 6.3, type: "ok", result: 1 }]);
    expect(result.verdict).toBe("unknown");
    expect(result.summary).toMatch(/^snapshot restore: no write was invoked after the clients pointed at n4,n5,n6 after 2\.0s/);
  });

  it("is unknown when the clients were never pointed at a recovered cluster, naming the failed step", () => {
    const steps = [
      { name: "destroy n1", command: "docker rm -f etcd-n1", startedAt: s(4), endedAt: s(4.1), ok: true },
      { name: "force new cluster n2", command: "etcd --force-new-cluster --data-dir /var/lib/etcd", startedAt: s(4.1), endedAt: s(9.1), ok: false, answer: "timed out after 5000 ms waiting for n2 to answer" },
    ];
    const { result, timing } = check([], { runbook: "force-new-cluster", recoveredAt: undefined, steps, recoveryPoint: { kind: "survivor", member: "n2", revision: 9 } });
    expect(result.verdict).toBe("unknown");
    expect(result.summary).toBe(
      'force new cluster: the clients were never pointed at a recovered cluster, step "force new cluster n2" failed after 5.0s ' +
        "(`etcd --force-new-cluster --data-dir /var/lib/etcd`: timed out after 5000 ms waiting for n2 to answer); steps: destroy n1 0.1s, force new cluster n2 5.0s (failed)",
    );
    expect(timing.steps[1]).toMatchObject({ ok: false, seconds: 5, answer: "timed out after 5000 ms waiting for n2 to answer" });
  });

  it("is unknown in a run without a recovery", () => {
    expect(recoveryTimeChecker.check(recordedRun({ history: historyOf(before) }))).toMatchObject({ verdict: "unknown", summary: "no recovery in this run" });
  });
});
