// The lock checker on hand-made histories: sections that follow each other, overlaps with their faults, uncertain and missing releases, lost leases.
import { describe, expect, it } from "vitest";
import { lockChecker, type LockOverlap } from "../../../checkers/lock.ts";
import type { HistoryEntry } from "../../../record/history/entry.ts";
import type { FaultRecord } from "../../../record/fault.ts";
import { recordedRun, s } from "./fixtures.ts";

type Outcome = "ok" | "fail" | "info";

interface Step {
  process: number;
  f: "acquire" | "release";
  at: [number, number | undefined];
  type?: Outcome;
  value?: Record<string, unknown>;
  node?: string;
  lock?: string;
}

/** Acquire steps get {holder, ttl: 2} as invocation value and {holder, lease} when ok. */
function history(steps: Step[]): HistoryEntry[] {
  const entries = steps.flatMap((step) => {
    const base = { process: step.process, f: step.f, key: step.lock ?? "lock/l0", node: step.node ?? `n${(step.process % 3) + 1}` };
    const holder = `p${step.process}`;
    const invokeValue = step.f === "acquire" ? { holder, ttl: 2 } : { lease: `L${step.process}` };
    const type = step.type ?? "ok";
    const okValue = step.f === "acquire" ? { holder, lease: `L${step.process}` } : { lease: `L${step.process}`, ...step.value };
    const invoke = { index: 0, time: s(step.at[0]), type: "invoke" as const, ...base, value: invokeValue };
    if (step.at[1] === undefined) return [invoke];
    const complete = { index: 0, time: s(step.at[1]), type, ...base, ...(type === "ok" ? { value: okValue } : type === "fail" ? { error: "held by p1" } : { error: "deadline exceeded" }) };
    return [invoke, complete];
  });
  return entries.sort((a, b) => a.time - b.time).map((entry, index) => ({ ...entry, index }));
}

const pause = (from: number, to: number, targets: string[]): FaultRecord => ({
  fault: "client-pause",
  selector: "all",
  targets,
  params: {},
  start: s(from),
  effective: s(from + 0.01),
  healStart: s(to),
  end: s(to),
  details: { frozen: [{ process: 1, member: "n2", doing: "holds lock/l0" }] },
  step: 0,
  signs: [],
});

const check = (steps: Step[], faults: FaultRecord[] = []) => lockChecker.check(recordedRun({ faults, history: history(steps) }));
const overlaps = (result: ReturnType<typeof check>): LockOverlap[] => result["overlaps"] as LockOverlap[];

describe("lock checker", () => {
  it("passes sections that follow each other, failed acquires, and holders of different locks at once", () => {
    const result = check([
      { process: 1, f: "acquire", at: [1, 1.1] },
      { process: 2, f: "acquire", at: [1.2, 1.3], type: "fail" },
      { process: 3, f: "acquire", at: [1.2, 1.3], lock: "lock/l1" },
      { process: 1, f: "release", at: [1.5, 1.6] },
      { process: 2, f: "acquire", at: [1.6, 1.7] },
      { process: 3, f: "release", at: [1.8, 1.9], lock: "lock/l1" },
      { process: 2, f: "release", at: [2, 2.1] },
    ]);
    expect(result.verdict, result.summary).toBe("valid");
    expect(result).toMatchObject({ sections: 3, locks: 2, holders: 3, overlapCount: 0 });
  });

  it("finds two holders of one lock at once, with the times, the lost lease and the fault in place", () => {
    const result = check(
      [
        { process: 1, f: "acquire", at: [1, 1.1], node: "n2" },
        { process: 4, f: "acquire", at: [4, 4.1], node: "n1" },
        { process: 4, f: "release", at: [4.4, 4.5], node: "n1" },
        { process: 1, f: "release", at: [7.2, 7.3], node: "n2", value: { leaseLost: "the revoke found the lease gone", pausedMs: 6000 } },
      ],
      [pause(1.15, 7.15, ["n1", "n2", "n3"])],
    );
    expect(result.verdict).toBe("invalid");
    expect(overlaps(result)).toMatchObject([
      {
        lock: "lock/l0",
        first: { holder: "p1", member: "n2", fromS: 1.1, toS: 7.2, end: "release invoked", leaseLost: "the revoke found the lease gone", pausedMs: 6000 },
        second: { holder: "p4", member: "n1", fromS: 4.1, toS: 4.4 },
        fromS: 4.1,
        toS: 4.4,
        overlapMs: 300,
        faults: [{ fault: "client-pause", targets: ["n1", "n2", "n3"], inPlace: true, details: { frozen: [{ process: 1 }] } }],
      },
    ]);
    expect(result.summary).toContain("lock/l0 held by p1 (n2, 1.1-7.2s, paused 6.0s, lease lost) and p4 (n1, 4.1-4.4s) at once for 300ms from 4.1s, during client-pause of n1,n2,n3");
  });

  it("blames etcd for a lock granted while the earlier holder's lease was certainly alive, and the client for one taken after it expired", () => {
    // p1's acknowledged keep-alives kept its lease alive until 5.0s; p4's acquire completed at 4.1s, so etcd granted it inside that.
    const alive = check([
      { process: 1, f: "acquire", at: [1, 1.1] },
      { process: 4, f: "acquire", at: [4, 4.1] },
      { process: 4, f: "release", at: [4.4, 4.5] },
      { process: 1, f: "release", at: [4.8, 4.9], value: { leaseValidUntil: s(5) } },
    ]);
    expect(alive.verdict).toBe("invalid");
    expect(overlaps(alive)).toMatchObject([{ cause: "granted-while-lease-alive", first: { leaseValidUntilS: 5 } }]);
    expect(alive.anomalies.map((anomaly) => anomaly.kind)).toEqual(["lock-granted-while-lease-alive"]);
    expect(alive.summary).toMatch(/^1 overlaps between 2 critical sections of different holders: 1 granted while the earlier holder's lease was alive \(etcd's fault\); first:/);

    // Its last acknowledged keep-alive kept it only until 3.1s (it was paused): p4 took the lock after it may have expired.
    const expired = check([
      { process: 1, f: "acquire", at: [1, 1.1] },
      { process: 4, f: "acquire", at: [4, 4.1] },
      { process: 4, f: "release", at: [4.4, 4.5] },
      { process: 1, f: "release", at: [4.8, 4.9], value: { leaseValidUntil: s(3.1), pausedMs: 3000 } },
    ]);
    expect(overlaps(expired)).toMatchObject([{ cause: "lease-expired-under-holder" }]);
    expect(expired.anomalies.map((anomaly) => anomaly.kind)).toEqual(["lock-held-past-lease"]);
    expect(expired.summary).toMatch(/1 after the earlier holder's lease expired, or may have, while it went on \(the client's: a lease-based lock is only as safe as its lease\)/);
  });

  it("reports an overlap with no fault in place as such", () => {
    const result = check([
      { process: 1, f: "acquire", at: [1, 1.1] },
      { process: 2, f: "acquire", at: [1.2, 1.3] },
      { process: 1, f: "release", at: [1.5, 1.6] },
      { process: 2, f: "release", at: [1.7, 1.8] },
    ]);
    expect(result.verdict).toBe("invalid");
    expect(overlaps(result)).toMatchObject([{ first: { holder: "p1" }, second: { holder: "p2" }, overlapMs: 200, faults: [] }]);
    expect(result.summary).toContain("with no fault in place");
  });

  it("ends a section at its release's invocation, whatever the release's outcome", () => {
    const steps = (type: Outcome | undefined): Step[] => [
      { process: 1, f: "acquire", at: [1, 1.1] },
      { process: 1, f: "release", at: [1.5, type === undefined ? undefined : 2.5], ...(type ? { type } : {}) },
      { process: 2, f: "acquire", at: [1.6, 1.7] },
      { process: 2, f: "release", at: [1.8, 1.9] },
    ];
    for (const type of ["info", "fail", undefined] as const) {
      const result = check(steps(type));
      expect(result.verdict, `release ${type ?? "without completion"}`).toBe("valid");
      expect(result["uncertainReleases"]).toBe(type === "fail" ? 0 : 1);
    }
  });

  it("lets a section that was never released last until its lease could have expired, and no longer", () => {
    const tooEarly = check([
      { process: 1, f: "acquire", at: [1, 1.1] },
      { process: 2, f: "acquire", at: [2.5, 2.9] },
      { process: 2, f: "release", at: [3.2, 3.3] },
    ]);
    expect(tooEarly.verdict).toBe("invalid");
    expect(overlaps(tooEarly)).toMatchObject([{ first: { holder: "p1", end: "lease could have expired (never released)", toS: 3 }, second: { holder: "p2" }, fromS: 2.9, toS: 3, overlapMs: 100 }]);
    const after = check([
      { process: 1, f: "acquire", at: [1, 1.1] },
      { process: 2, f: "acquire", at: [3, 3.1] },
      { process: 2, f: "release", at: [3.2, 3.3] },
    ]);
    expect(after.verdict, after.summary).toBe("valid");
    expect(after["neverReleased"]).toBe(1);
  });

  it("gives no section to an acquire whose outcome is unknown, and is unknown when no acquire succeeded", () => {
    const uncertain = check([
      { process: 1, f: "acquire", at: [1, 2], type: "info" },
      { process: 2, f: "acquire", at: [1.5, 1.6] },
      { process: 2, f: "release", at: [1.8, 1.9] },
    ]);
    expect(uncertain.verdict).toBe("valid");
    expect(uncertain["sections"]).toBe(1);
    expect(check([{ process: 1, f: "acquire", at: [1, 2], type: "fail" }]).verdict).toBe("unknown");
  });

  it("counts a lost lease without an overlap as no violation", () => {
    const result = check([
      { process: 1, f: "acquire", at: [1, 1.1] },
      { process: 1, f: "release", at: [1.5, 1.6], value: { leaseLost: "We lost connection to etcd and our lease has expired.", leaseLostAt: s(1.4) } },
    ]);
    expect(result.verdict).toBe("valid");
    expect(result["leasesLost"]).toBe(1);
  });
});
