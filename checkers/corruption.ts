// What etcd did with each member whose files a storage fault damaged, and the line that matters: no member served data that differs from the others'.
import type { Anomaly } from "../record/check-result.ts";
import { describeStorageOutcome, storageDamageSchema, storageFaults } from "../record/storage-damage.ts";
import type { Checker } from "./checker.ts";
import { span } from "./checker.ts";

/**
 * Valid when etcd either refused the damaged member (it would not start, or its corruption checks
 * raised the CORRUPT alarm) or took it back with the same HashKV as the others at a common revision.
 * Invalid when it took it back with different data. Unknown when a fault damaged nothing, or etcd's
 * answer was not seen. Lost acknowledged writes and divergence at the end are the durability and
 * convergence checkers' to find.
 */
export const corruptionChecker: Checker = {
  name: "corruption",
  check(run) {
    const damaging = run.faults.filter((fault) => (storageFaults as readonly string[]).includes(fault.fault));
    if (damaging.length === 0) return { verdict: "valid", summary: "no storage fault in this run", anomalies: [], accounts: [] };
    const anomalies: Anomaly[] = [];
    const unclear: string[] = [];
    const accounts = damaging.map((fault) => {
      const member = fault.targets[0] ?? "?";
      const parsed = storageDamageSchema.safeParse(fault.details);
      if (!parsed.success) {
        unclear.push(`${fault.fault} of ${member}: its record says no damage or outcome`);
        return { fault: fault.fault, member, account: "no damage recorded" };
      }
      const damage = parsed.data;
      if (!damage.damaged || !damage.outcome) {
        const account = `${fault.fault} of ${member}: nothing damaged (${damage.why ?? "no outcome recorded"})`;
        unclear.push(account);
        return { fault: fault.fault, member, account };
      }
      const account = `${fault.fault} of ${member} (${damage.what}): ${describeStorageOutcome(member, damage)}${damage.healedBy ? `; ${damage.healedBy}` : ""}`;
      if (damage.outcome === "diverged") {
        anomalies.push({ kind: "served-diverged-data", explanation: account, ops: [], members: [member], ...span(fault.effective, fault.healStart) });
      } else if (damage.outcome === "no-answer") {
        unclear.push(account);
      }
      return { fault: fault.fault, member, outcome: damage.outcome, account };
    });
    const lines = accounts.map((entry) => entry.account).join("; ");
    if (anomalies.length > 0) return { verdict: "invalid", summary: `a damaged member rejoined with different data: ${lines}`, anomalies, accounts };
    if (unclear.length > 0) return { verdict: "unknown", summary: `could not tell what etcd did: ${unclear.join("; ")}`, anomalies: [], accounts };
    return { verdict: "valid", summary: lines, anomalies: [], accounts };
  },
};
