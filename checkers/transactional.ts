// The run checkers elle-append and elle-wr: a workload's transactions judged against a consistency model by dependency cycles.
import { z } from "zod";
import type { Anomaly, CheckResult } from "../record/check-result.ts";
import { consistencyModelSchema, type ConsistencyModel, type TransactionalEvidence } from "../record/transactional.ts";
import { span, type Checker } from "./checker.ts";
import { checkTransactions, type ElleReport, type ElleWorkload } from "./elle/check.ts";
import type { Finding } from "./elle/finding.ts";
import { transactionsFromHistory } from "./elle/from-history.ts";
import { modelsRuledOut } from "./elle/models.ts";
import type { Transaction } from "./elle/transaction.ts";

export const transactionalOptionsSchema = z.object({ consistency: consistencyModelSchema.optional() }).strict();

export function transactionalChecker(workload: ElleWorkload, options: z.infer<typeof transactionalOptionsSchema> = {}): Checker {
  const consistency: ConsistencyModel = options.consistency ?? "strict-serializable";
  return {
    name: workload === "list-append" ? "elle-append" : "elle-wr",
    check(run) {
      const { transactions, ignored } = transactionsFromHistory(run.history, workload);
      return transactionalResult(checkTransactions(transactions, { workload, consistency }), transactions, ignored, workload);
    },
  };
}

/** The report as a checker result: violations of the model as anomalies, everything else as evidence. */
export function transactionalResult(report: ElleReport, transactions: readonly Transaction[], ignored: number, workload: ElleWorkload): CheckResult & TransactionalEvidence {
  const violates = (finding: Finding) => modelsRuledOut(finding.name).includes(report.consistency);
  const violations = report.findings.filter(violates);
  const allowed = [...new Set(report.findings.filter((finding) => !violates(finding)).map((finding) => finding.name))];
  const index = (id: number) => transactions[id]!.invokeIndex;
  return {
    verdict: report.verdict,
    summary: summaryOf(report, violations, allowed),
    anomalies: violations.map((finding) => anomalyOf(finding, transactions)),
    elapsedMs: report.elapsedMs,
    workload,
    consistency: report.consistency,
    transactions: report.transactions,
    ignored,
    edges: report.edges,
    components: report.components,
    counts: report.counts,
    ruledOut: report.ruledOut,
    allowed,
    cycles: violations.flatMap((finding) => (finding.steps ? [{ name: finding.name, steps: finding.steps.map((step) => ({ ...step, from: index(step.from), to: index(step.to) })) }] : [])),
    searchIncomplete: report.searchIncomplete,
  };
}

function summaryOf(report: ElleReport, violations: Finding[], allowed: string[]): string {
  const t = report.transactions;
  const checked = `${t.total} transactions (${t.info} uncertain, ${t.fail} failed), ${Math.round(report.elapsedMs)} ms`;
  if (report.verdict === "invalid") {
    const classes = Object.entries(report.counts)
      .filter(([name]) => violations.some((finding) => finding.name === name))
      .map(([name, count]) => `${name} x${count}`);
    return `not ${report.consistency}: ${classes.join(", ")}; ${violations[0]!.explanation}; ${checked}`;
  }
  const also = allowed.length > 0 ? `; found ${allowed.join(", ")}, which ${report.consistency} allows` : "";
  if (report.verdict === "unknown") return `no anomaly ruling out ${report.consistency} found before the cycle search reached its budget${also}; ${checked}`;
  return `${report.consistency}: no anomaly${allowed.length > 0 ? " it rules out" : ""} in ${checked}${also}`;
}

function anomalyOf(finding: Finding, transactions: readonly Transaction[]): Anomaly {
  const involved = finding.txns.map((id) => transactions[id]!);
  const calls = involved.map((t) => t.call);
  const rets = involved.map((t) => t.ret).filter(Number.isFinite);
  const members = [...new Set(involved.flatMap((t) => (t.node ? [t.node] : [])))].sort();
  return {
    kind: finding.name,
    explanation: finding.explanation,
    ops: involved.map((t) => t.invokeIndex),
    members,
    ...span(Math.min(...calls), rets.length > 0 ? Math.max(...rets) : undefined),
  };
}
