// Which recorded operations only read: they may be served locally (serializable) and prove no progress.
import type { Operation } from "./operations.ts";

const readOnlyNames = new Set(["read", "get", "watch"]);

interface TxnValue {
  success?: Array<{ f: string }>;
  failure?: Array<{ f: string }>;
}

export function isReadOnly(op: Pick<Operation, "f" | "invoke">): boolean {
  if (readOnlyNames.has(op.f)) return true;
  if (op.f !== "txn") return false;
  const spec = op.invoke.value as TxnValue | undefined;
  const requests = [...(spec?.success ?? []), ...(spec?.failure ?? [])];
  return requests.length > 0 && requests.every((request) => request.f === "get");
}
