// etcd requests in the encoding the etcd KV model reads (see checkers/linearizability/models/etcd-kv.ts).
import type { Etcd3, ICompare, IKeyValue, IRequestOp, IResponseOp, ITxnResponse } from "etcd3";
import type { GetResult, KeyCompare, KeyRequest, TxnResult, TxnSpec } from "../record/values/etcd.ts";

/** A txn's outcome: which branch ran, each request's result in it, and the revision it answered at. */
export interface TxnOutcome {
  succeeded: boolean;
  results: TxnResult[];
  revision: number;
}

const targets = { value: "Value", version: "Version", create: "Create", mod: "Mod" } as const;
const results = { "=": "Equal", "!=": "NotEqual", "<": "Less", ">": "Greater" } as const;
const compareFields = { value: "value", version: "version", create: "create_revision", mod: "mod_revision" } as const;

export function getResult(kv: IKeyValue | undefined): GetResult {
  if (!kv) return null;
  return { value: kv.value.toString(), modRevision: Number(kv.mod_revision), createRevision: Number(kv.create_revision), version: Number(kv.version) };
}

export async function getKey(client: Etcd3, key: string, serializable: boolean, options: { deadline: Date }): Promise<{ result: GetResult; revision: number }> {
  const response = await client.kv.range({ key: Buffer.from(key), serializable }, options);
  return { result: getResult(response.kvs[0]), revision: Number(response.header.revision) };
}

/** The member's store revision, from the header of a serializable read of one key (etcd refuses an empty key). */
export async function storeRevision(client: Etcd3, options: { deadline: Date }): Promise<number> {
  const response = await client.kv.range({ key: Buffer.from([0]), serializable: true, keys_only: true }, options);
  return Number(response.header.revision);
}

export async function runTxn(client: Etcd3, spec: TxnSpec, options: { deadline: Date }): Promise<TxnOutcome> {
  const response = await client.kv.txn(
    { compare: spec.compare.map(toCompare), success: spec.success.map(toRequestOp), failure: spec.failure.map(toRequestOp) },
    options,
  );
  return outcomeOf(response, response.succeeded ? spec.success : spec.failure);
}

function toCompare(compare: KeyCompare): ICompare {
  const value = compare.target === "value" ? Buffer.from(String(compare.value)) : compare.value;
  return { key: Buffer.from(compare.key), target: targets[compare.target], result: results[compare.op], [compareFields[compare.target]]: value };
}

function toRequestOp(request: KeyRequest): IRequestOp {
  const key = Buffer.from(request.key);
  if (request.f === "get") return { request_range: { key, ...(request.serializable ? { serializable: true } : {}) } };
  if (request.f === "put") return { request_put: { key, value: Buffer.from(request.value), ...(request.lease ? { lease: request.lease } : {}) } };
  return { request_delete_range: { key } };
}

function outcomeOf(response: ITxnResponse, branch: KeyRequest[]): TxnOutcome {
  const responses: IResponseOp[] = response.responses ?? [];
  return {
    succeeded: response.succeeded,
    revision: Number(response.header.revision),
    results: branch.map((request, index) => {
      const op = responses[index];
      if (request.f === "get") return getResult(op?.response_range?.kvs[0]);
      if (request.f === "delete") return { deleted: Number(op?.response_delete_range?.deleted ?? 0) };
      return null;
    }),
  };
}

/** The range end that makes a range cover every key starting with `prefix` (as etcd's WithPrefix does). */
export function prefixEnd(prefix: string): string {
  const bytes = Buffer.from(prefix);
  for (let index = bytes.length - 1; index >= 0; index--) {
    if (bytes[index]! < 0xff) {
      bytes[index]! += 1;
      return bytes.subarray(0, index + 1).toString("latin1");
    }
  }
  return "\0";
}
