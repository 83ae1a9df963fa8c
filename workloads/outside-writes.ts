// With auth on: writes outside the workload user's permission, sent on purpose through every member, which etcd must refuse (checkers/auth.ts).
import { outsidePrefix, outsideWrite } from "../record/auth-probe.ts";
import { ClientPool, type OperationSource } from "./client-pool.ts";
import type { Workload, WorkloadContext } from "./workload.ts";

/** Each member is sent one such write every this many milliseconds. */
const everyMs = 2000;

export function outsideWrites(context: WorkloadContext): Workload {
  let sent = 0;
  const source: OperationSource<null> = {
    initialState: () => null,
    next: () => {
      const key = `${outsidePrefix}${++sent}`;
      return {
        f: outsideWrite,
        key,
        value: "forbidden",
        run: async (client, options) => {
          const response = await client.kv.put({ key: Buffer.from(key), value: Buffer.from("forbidden") }, options);
          return { type: "ok", revision: Number(response.header.revision) };
        },
      };
    },
  };
  const processes = context.settings.clientEndpoints === "all" ? 1 : context.cluster.members.length;
  const pool = new ClientPool({ ...context, settings: { ...context.settings, rate: (processes * 1000) / everyMs } }, source);
  return {
    start: () => pool.start(processes),
    stop: () => pool.stop(),
  };
}
