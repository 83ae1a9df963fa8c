// What a checker returns: a verdict, one line, a typed list of anomalies, and free-form evidence beside them.
import { z } from "zod";

export const verdicts = ["valid", "invalid", "unknown"] as const;
export const verdictSchema = z.enum(verdicts);
export type Verdict = z.infer<typeof verdictSchema>;

/** One violation, tied to the operations and members it names: what the report, junit.xml and summary.md show. */
export const anomalySchema = z.object({
  /** The checker's name for the kind of violation: "not-linearizable", "acknowledged-while-cut-off", "lost-write", ... */
  kind: z.string().min(1),
  /** One line a person reads: what went wrong, where and when. */
  explanation: z.string(),
  /** History indexes of the invocations of the operations at fault; the first is the one to look at. */
  ops: z.array(z.number().int().nonnegative()),
  /** Operations that bear on it without being at fault (those concurrent with it, the write it contradicts), in labelled groups. */
  context: z.array(z.object({ label: z.string(), ops: z.array(z.number().int().nonnegative()) })).optional(),
  /** Members involved. */
  members: z.array(z.string()),
  /** Run-clock nanoseconds the anomaly spans, when it has a span. */
  from: z.number().optional(),
  to: z.number().optional(),
  /** The state the explanation refers to, when there is one (the model state before an operation that cannot be placed). */
  state: z.string().optional(),
});
export type Anomaly = z.infer<typeof anomalySchema>;

export const checkResultSchema = z.looseObject({
  verdict: verdictSchema,
  /** One line a person reads first. */
  summary: z.string(),
  /** Every violation found (empty unless invalid), earliest first; the list may stop at a checker's limit. */
  anomalies: z.array(anomalySchema),
  elapsedMs: z.number().optional(),
});
/** A checker's result; keys beyond these are its free-form evidence, kept in results.json. */
export type CheckResult = z.infer<typeof checkResultSchema>;

/** invalid beats unknown beats valid; nothing to judge is valid (an empty history is linearizable). */
export function worstVerdict(verdicts: Iterable<Verdict>): Verdict {
  let worst: Verdict = "valid";
  for (const verdict of verdicts) {
    if (verdict === "invalid") return "invalid";
    if (verdict === "unknown") worst = "unknown";
  }
  return worst;
}

/** A run's verdict from its checkers': the worst of them, and unknown when no checker ran. */
export function combineVerdicts(verdicts: Verdict[]): Verdict {
  return verdicts.length === 0 ? "unknown" : worstVerdict(verdicts);
}
