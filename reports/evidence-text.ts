// A checker's evidence as plain text for CI (junit failure bodies): counterexamples spelled out, the rest as JSON, cut to a length.
import type { CheckResult } from "../checkers/checker.ts";
import type { OperationView } from "../checkers/linearizability/result.ts";
import { counterexamplesOf } from "./counterexamples.ts";

const concurrentShown = 10;

export function evidenceText(result: CheckResult, maxChars: number): string {
  const parts = counterexamplesOf(result).map(({ label, counterexample }) =>
    [
      `counterexample${label ? ` on key ${label}` : ""}:`,
      `  cannot be placed: ${operationLine(counterexample.blocked)}`,
      `  state before: ${counterexample.stateBefore} (after ${counterexample.prefix.length} linearized operations)`,
      `  concurrent operations (${counterexample.concurrent.length}):`,
      ...counterexample.concurrent.slice(0, concurrentShown).map((view) => `    ${operationLine(view)}`),
      ...(counterexample.concurrent.length > concurrentShown ? [`    and ${counterexample.concurrent.length - concurrentShown} more`] : []),
    ].join("\n"),
  );
  const { verdict: _verdict, summary: _summary, ...evidence } = result;
  if (parts.length > 0) delete evidence["partitions"];
  if (Object.keys(evidence).length > 0) parts.push(JSON.stringify(evidence, null, 2));
  const text = parts.join("\n\n");
  return text.length > maxChars ? `${text.slice(0, maxChars)}\n… (cut; the whole evidence is in results.json)` : text;
}

function operationLine(view: OperationView): string {
  const returned = view.ret === null ? "no return" : `${(view.ret / 1e9).toFixed(3)}s`;
  return `${view.description} by process ${view.process} (${view.outcome}), ${(view.call / 1e9).toFixed(3)}s-${returned}, history index ${view.invokeIndex}`;
}
