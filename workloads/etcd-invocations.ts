// The plain etcd operations workloads share, as invocations recorded for the etcd KV model: get, put, delete.
import type { Invocation } from "./client-pool.ts";
import type { GetResult } from "../record/values/etcd.ts";
import { getKey } from "./etcd-ops.ts";

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

/** A put; `wrote` learns the revision it made. */
export function putInvocation(key: string, value: string, wrote?: (revision: number) => void): Invocation {
  return {
    f: "put",
    key,
    value,
    async run(client, options) {
      const response = await client.kv.put({ key: Buffer.from(key), value: Buffer.from(value) }, options);
      const revision = Number(response.header.revision);
      wrote?.(revision);
      return { type: "ok", revision };
    },
  };
}

/** A delete; `wrote` learns the revision it made, when it deleted something (otherwise it made none). */
export function deleteInvocation(key: string, wrote?: (revision: number) => void): Invocation {
  return {
    f: "delete",
    key,
    value: null,
    async run(client, options) {
      const response = await client.kv.deleteRange({ key: Buffer.from(key) }, options);
      const deleted = Number(response.deleted);
      const revision = Number(response.header.revision);
      if (deleted > 0) wrote?.(revision);
      return { type: "ok", value: { deleted }, revision };
    },
  };
}
