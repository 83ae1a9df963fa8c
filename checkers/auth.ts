// Authentication held: no operation outside the workload user's permission was acknowledged, and none within it was refused for want of permission.
//
// With auth on, the workload runs as a user whose role may read and write the workload's prefix and
// nothing else, and a prober sends writes outside it on purpose ("outside-write"). etcd must refuse every
// one of those, on every member, all run long. It must also go on granting the workload's own
// operations through every fault: a member that lost its permission cache after recovering from a
// snapshot (etcd issue 14571) refuses them with "permission denied", named here by member. A refused or
// expired token ("invalid auth token") is no violation: simple tokens live in a member's memory and die
// with a restart, and the client authenticates again; those are counted per member.
import { outsideWrite } from "../record/auth-probe.ts";
import type { Anomaly } from "../record/check-result.ts";
import type { FaultRecord } from "../record/fault.ts";
import type { Checker } from "./checker.ts";
import { span } from "./checker.ts";
import { pairOperations, type Operation } from "./operations.ts";


/** etcd's answers that mean the user lacked permission or identity, not that its token aged. */
const refusedForPermission = /permission denied|user name is empty|user name not found|authentication failed/i;
const tokenRefused = /invalid auth token|auth token is expired/i;

export const authChecker: Checker = {
  name: "auth",
  check(run) {
    const ops = pairOperations(run.history);
    const outside = ops.filter((op) => op.f === outsideWrite);
    const inside = ops.filter((op) => op.f !== outsideWrite && op.f !== "watch");
    const anomalies: Anomaly[] = [];
    for (const op of outside.filter((candidate) => candidate.type === "ok")) {
      anomalies.push({
        kind: "unauthorized-write-acknowledged",
        explanation: `${op.node ?? "a member"} acknowledged ${describe(op)} outside the workload user's permission`,
        ops: [op.invoke.index],
        members: op.node ? [op.node] : [],
        ...span(op.invoke.time, op.complete?.time),
      });
    }
    const refused = inside.filter((op) => op.type === "fail" && refusedForPermission.test(op.complete?.error ?? ""));
    for (const [member, refusals] of Map.groupBy(refused, (op) => op.node ?? "?")) {
      const first = refusals[0]!;
      const last = refusals[refusals.length - 1]!;
      const before = recoveriesBefore(run.faults, member, first.invoke.time);
      anomalies.push({
        kind: "permission-lost",
        explanation:
          `${member === "?" ? "an unknown member" : member} refused ${refusals.length} of the workload user's own operations ("${first.complete!.error}") ` +
          `from ${seconds(first.invoke.time)} to ${seconds(last.complete!.time)}` +
          (before.length > 0 ? `, after ${before.map((fault) => `${fault.fault} of ${fault.targets.join(",")} at ${seconds(fault.start)}`).join("; ")}` : ""),
        ops: refusals.slice(0, 20).map((op) => op.invoke.index),
        members: member === "?" ? [] : [member],
        ...span(first.invoke.time, last.complete!.time),
      });
    }
    const tokens = tokenRefusals(inside);
    const refusedOutside = outside.filter((op) => op.type === "fail").length;
    const evidence = { outsideWrites: outside.length, outsideRefused: refusedOutside, insideOk: inside.filter((op) => op.type === "ok").length, permissionRefusals: refused.length, tokenRefusals: tokens };
    if (anomalies.length > 0) {
      return { verdict: "invalid", summary: anomalies.map((anomaly) => anomaly.explanation).join("; "), anomalies, ...evidence };
    }
    const tokenText = Object.keys(tokens).length > 0 ? `; tokens refused and renewed: ${Object.entries(tokens).map(([member, count]) => `${member} ${count}`).join(", ")}` : "";
    if (refusedOutside === 0) {
      return { verdict: "unknown", summary: `no write outside the workload user's permission was answered (${outside.length} sent), so refusal was never seen${tokenText}`, anomalies, ...evidence };
    }
    return {
      verdict: "valid",
      summary: `every member refused the ${refusedOutside} writes outside the workload user's permission, and granted its own ${evidence.insideOk} acknowledged operations with no "permission denied"${tokenText}`,
      anomalies,
      ...evidence,
    };
  },
};

function tokenRefusals(ops: Operation[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const op of ops) if (op.type === "fail" && tokenRefused.test(op.complete?.error ?? "")) counts[op.node ?? "?"] = (counts[op.node ?? "?"] ?? 0) + 1;
  return counts;
}

/** Faults that made `member` recover (restart, replacement, snapshot catch-up) before `time`. */
function recoveriesBefore(faults: FaultRecord[], member: string, time: number): FaultRecord[] {
  return faults.filter((fault) => fault.targets.includes(member) && fault.start <= time);
}

const seconds = (ns: number): string => `${(ns / 1e9).toFixed(1)}s`;
const describe = (op: Operation): string => `${op.f}${op.key !== undefined ? ` ${op.key}` : ""} by process ${op.process} at ${seconds(op.invoke.time)}`;
