// The etcd KV encoding of history values (get, put, delete, txn), as workloads record them and the etcd KV model reads them.
import { z } from "zod";

export const keyCompareSchema = z.object({
  key: z.string(),
  target: z.enum(["value", "version", "create", "mod"]),
  op: z.enum(["=", "!=", "<", ">"]),
  value: z.union([z.string(), z.number()]),
});
export type KeyCompare = z.infer<typeof keyCompareSchema>;
export type CompareTarget = KeyCompare["target"];
export type CompareOp = KeyCompare["op"];

export const keyRequestSchema = z.discriminatedUnion("f", [
  /** `serializable`: served from the member's own store (a txn of only such gets is answered without raft). */
  z.object({ f: z.literal("get"), key: z.string(), serializable: z.boolean().optional() }),
  /** `lease`: the lease id attached, as etcd3 returns it. */
  z.object({ f: z.literal("put"), key: z.string(), value: z.string(), lease: z.string().optional() }),
  z.object({ f: z.literal("delete"), key: z.string() }),
]);
export type KeyRequest = z.infer<typeof keyRequestSchema>;

/** A txn invocation's value. */
export const txnSpecSchema = z.object({
  compare: z.array(keyCompareSchema),
  success: z.array(keyRequestSchema),
  failure: z.array(keyRequestSchema),
});
export type TxnSpec = z.infer<typeof txnSpecSchema>;

/** A get's result: null when the key is absent. */
export const getResultSchema = z.union([
  z.null(),
  z.object({ value: z.string(), modRevision: z.number(), createRevision: z.number(), version: z.number() }),
]);
export type GetResult = z.infer<typeof getResultSchema>;

export const txnResultSchema = z.union([getResultSchema, z.object({ deleted: z.number() })]);
export type TxnResult = z.infer<typeof txnResultSchema>;

/** A txn completion's value: which branch ran, and each request's result in it. */
export const txnOutcomeSchema = z.object({ succeeded: z.boolean(), results: z.array(txnResultSchema) });
export type TxnOutcomeValue = z.infer<typeof txnOutcomeSchema>;
