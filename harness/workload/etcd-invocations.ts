// The plain etcd operations workloads share, as invocations recorded for the etcd KV model: get, put, delete.
import type { Invocation } from "./client-pool.ts";
import { getKey, type GetResult } from "./etcd-ops.ts";

/** A get of one key; `seen` learns what it returned (a process's cache of revisions). */
export function getInvocation(key: string, serializable: boolean, seen?: (result: GetResult) => void): Invocation {
  return {
    f: "get",
    key,
    value: null,
    async run(client, options) {
      const { result, revision } = await getKey(client, key, serializable, options);
      seen?.(result);
      return { type: "ok", value: result, revision };
    },
  };
}

export function putInvocation(key: string, value: string): Invocation {
  return {
    f: "put",
    key,
    value,
    async run(client, options) {
      const response = await client.kv.put({ key: Buffer.from(key), value: Buffer.from(value) }, options);
      return { type: "ok", revision: Number(response.header.revision) };
    },
  };
}

export function deleteInvocation(key: string): Invocation {
  return {
    f: "delete",
    key,
    value: null,
    async run(client, options) {
      const response = await client.kv.deleteRange({ key: Buffer.from(key) }, options);
      return { type: "ok", value: { deleted: Number(response.deleted) }, revision: Number(response.header.revision) };
    },
  };
}
