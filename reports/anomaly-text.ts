// A checker's anomalies as plain text for CI (junit failure bodies, summary.md): each one, its operations spelled out.
import type { Anomaly } from "../record/check-result.ts";
import type { NamedOperation } from "./operations.ts";
import { operationLine } from "./operations.ts";

const contextShown = 10;

export function anomalyText(anomaly: Anomaly, operations: ReadonlyMap<number, NamedOperation>): string {
  const line = (index: number): string => {
    const op = operations.get(index);
    return op ? operationLine(op) : `history line ${index + 1}`;
  };
  const span = anomaly.from !== undefined ? ` (${(anomaly.from / 1e9).toFixed(2)}${anomaly.to !== undefined ? `-${(anomaly.to / 1e9).toFixed(2)}` : ""}s)` : "";
  const lines = [`${anomaly.kind}${span}: ${anomaly.explanation}`];
  if (anomaly.members.length > 0) lines.push(`  members: ${anomaly.members.join(", ")}`);
  if (anomaly.state !== undefined) lines.push(`  state before: ${anomaly.state}`);
  for (const index of anomaly.ops) lines.push(`  operation: ${line(index)}`);
  for (const group of anomaly.context ?? []) {
    lines.push(`  ${group.label} (${group.ops.length}):`);
    lines.push(...group.ops.slice(0, contextShown).map((index) => `    ${line(index)}`));
    if (group.ops.length > contextShown) lines.push(`    and ${group.ops.length - contextShown} more`);
  }
  return lines.join("\n");
}

/** Every anomaly of a result, cut to a length. */
export function anomaliesText(anomalies: Anomaly[], operations: ReadonlyMap<number, NamedOperation>, maxChars: number): string {
  const text = anomalies.map((anomaly) => anomalyText(anomaly, operations)).join("\n\n");
  return text.length > maxChars ? `${text.slice(0, maxChars)}\n… (cut; every anomaly is in results.json)` : text;
}
