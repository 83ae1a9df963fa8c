// The transactional (Elle-style) checkers' evidence in results.json: the model judged, what was checked, and each anomaly's cycle.
import { z } from "zod";

/** Strongest first. etcd promises strict serializability for its transactions. */
export const consistencyModels = ["strict-serializable", "serializable", "snapshot-isolation", "read-committed"] as const;
export const consistencyModelSchema = z.enum(consistencyModels);
export type ConsistencyModel = z.infer<typeof consistencyModelSchema>;

export const transactionalEvidenceSchema = z.object({
  workload: z.enum(["list-append", "rw-register"]),
  consistency: consistencyModelSchema,
  transactions: z.object({ total: z.number(), ok: z.number(), info: z.number(), fail: z.number() }),
  /** Client operations that are not transactions, left out. */
  ignored: z.number(),
  /** Edges of each kind: ww, wr, rw (dependencies), process, realtime. */
  edges: z.record(z.string(), z.number()),
  /** Strongly connected components with a cycle: over dependency edges, and over every order (strict models). */
  components: z.object({ dependency: z.number(), everyOrder: z.number() }),
  /** Every anomaly class found, with how many, whether or not the model allows it. */
  counts: z.record(z.string(), z.number()),
  /** The models the anomalies found rule out. */
  ruledOut: z.array(consistencyModelSchema),
  /** Anomaly classes found that the model judged allows (not violations, so not in `anomalies`). */
  allowed: z.array(z.string()),
  /** Each cycle behind a violation: its steps, transactions named by their invocation's history index. */
  cycles: z.array(
    z.object({
      name: z.string(),
      steps: z.array(z.object({ from: z.number(), to: z.number(), kind: z.string(), why: z.string() })),
    }),
  ),
  /** Whether the cycle search stopped at its budget before looking everywhere. */
  searchIncomplete: z.boolean(),
});
export type TransactionalEvidence = z.infer<typeof transactionalEvidenceSchema>;
