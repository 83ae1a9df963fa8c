// While NOSPACE was raised etcd acknowledged no write that stores data, kept serving reads, and took writes again after the runbook.
//
// Once the alarm is raised, every member refuses puts, txns with a put in either branch and lease
// grants as it applies them; deletes and reads go on. An operation invoked after the alarm was seen
// on every member (the fault's effective time) and acknowledged before the heal began is therefore a
// violation if it stores data. The fault's own writes (keys under "__harness/") are not the clients'.
import type { CheckResult } from "../record/check-result.ts";
import { span, type Checker } from "./checker.ts";
import { judgeFault } from "./fault-effects.ts";
import { isReadOnly } from "./op-kinds.ts";
import { pairOperations, type Operation } from "./operations.ts";
import { seconds } from "./partition-windows.ts";
import { isNospace, provenRefusals } from "./settled-outcomes.ts";

const storingNames = new Set(["write", "put", "cas", "append", "acquire"]);

interface TxnValue {
  success?: Array<{ f: string }>;
  failure?: Array<{ f: string }>;
}

/** Whether etcd counts the operation against the quota: it may store data (a put in any branch, a lease). */
export function storesData(op: Pick<Operation, "f" | "invoke">): boolean {
  if (storingNames.has(op.f)) return true;
  if (op.f !== "txn") return false;
  const spec = op.invoke.value as TxnValue | undefined;
  return [...(spec?.success ?? []), ...(spec?.failure ?? [])].some((request) => request.f === "put");
}

const answeredNospace = (op: Operation): boolean => isNospace(op.complete?.error);
const describe = (op: Operation): string => `${op.f}${op.key ? ` ${op.key}` : ""} by process ${op.process} on ${op.node ?? "?"} at ${seconds(op.invoke.time).toFixed(2)}s`;

export const quotaAlarmChecker: Checker = {
  name: "quota-alarm",
  check(run): CheckResult {
    const faults = run.faults.filter((fault) => fault.fault === "quota");
    if (faults.length === 0) return { verdict: "unknown", summary: "no quota fault in this run", anomalies: [] };
    const bitten = faults.filter((fault) => judgeFault(fault, run.statuses)?.tookEffect === true);
    if (bitten.length === 0) return { verdict: "unknown", summary: "no quota fault raised NOSPACE, so nothing shows how etcd behaves when full", anomalies: [] };
    const ops = pairOperations(run.history).filter((op) => !(op.key ?? "").startsWith("__harness/"));
    const proven = provenRefusals(run);
    // Every NOSPACE answer inside a window is proven unapplied (settled-outcomes.ts); these are the rest.
    const uncertain = ops.filter((op) => op.type === "info" && answeredNospace(op) && !proven.has(op.invoke.index)).length;
    const windows = bitten.map((fault) => {
      const inside = ops.filter((op) => op.invoke.time >= fault.effective && op.complete !== undefined && op.complete.time <= fault.healStart);
      const after = ops.filter((op) => op.invoke.time >= fault.end && op.type === "ok" && storesData(op));
      return {
        from: seconds(fault.effective),
        to: seconds(fault.healStart),
        acknowledged: inside.filter((op) => op.type === "ok" && storesData(op)),
        refused: inside.filter((op) => op.type !== "ok" && answeredNospace(op)).length,
        reads: inside.filter((op) => op.type === "ok" && isReadOnly(op)).length,
        writesAfter: after.length,
      };
    });
    const evidence = windows.map(({ acknowledged, ...window }) => ({ ...window, acknowledged: acknowledged.map(describe) }));
    const violations = windows.flatMap((window) => window.acknowledged);
    if (violations.length > 0) {
      return {
        verdict: "invalid",
        summary: `etcd acknowledged ${violations.length} writes while NOSPACE was raised: ${violations.slice(0, 3).map(describe).join("; ")}`,
        anomalies: violations.map((op) => ({
          kind: "acknowledged-while-nospace",
          explanation: `${describe(op)} was acknowledged while NOSPACE was raised`,
          ops: [op.invoke.index],
          members: op.node ? [op.node] : [],
          ...span(op.invoke.time, op.complete?.time),
        })),
        windows: evidence,
      };
    }
    const unshown = windows.flatMap((window) => [
      ...(window.refused === 0 ? [`no client write was refused with "database space exceeded" in ${window.from.toFixed(1)}-${window.to.toFixed(1)}s`] : []),
      ...(window.reads === 0 ? [`no read was served in ${window.from.toFixed(1)}-${window.to.toFixed(1)}s`] : []),
      ...(window.writesAfter === 0 ? [`no client write was acknowledged after the heal at ${window.to.toFixed(1)}s`] : []),
    ]);
    if (unshown.length > 0) return { verdict: "unknown", summary: unshown.join("; "), anomalies: [], windows: evidence };
    const phrase = windows
      .map((window) => `${window.from.toFixed(1)}-${window.to.toFixed(1)}s: ${window.refused} writes refused unapplied, none acknowledged, ${window.reads} reads served; ${window.writesAfter} writes after the runbook`)
      .join("; ");
    const racing = uncertain > 0 ? `; ${uncertain} more answered NOSPACE around the alarm, uncertain (sent before the alarm was listed, or answered after the disarm)` : "";
    return { verdict: "valid", summary: `while NOSPACE was raised ${phrase}${racing}`, anomalies: [], windows: evidence, uncertainNospace: uncertain };
  },
};
