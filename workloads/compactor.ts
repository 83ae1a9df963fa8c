// Compaction as client traffic: every so often, compact at the store's current revision through one member after another, each call recorded.
//
// etcd's robustness suite compacts every 200 ms beside its traffic: compaction races with watchers
// catching up (etcd issue 17529), with restarts and with snapshots. Each compaction is an operation of
// its own process, `compact` with the revision asked for: ok with the header revision, fail when etcd
// refused it (a revision already compacted), info when the outcome is unknown. Checkers that judge
// keys skip it (it changes no key's value); availability counts it as progress made through raft.
import type { Etcd3 } from "etcd3";
import { deadline } from "../harness/clients/etcd-client.ts";
import { classifyFailure } from "../harness/clients/outcome.ts";
import { storeRevision } from "./etcd-ops.ts";
import type { Workload, WorkloadContext } from "./workload.ts";

export class Compactor implements Workload {
  readonly #context: WorkloadContext;
  readonly #everyMs: number;
  #running = false;
  #loop: Promise<void> = Promise.resolve();
  #wake: () => void = () => {};

  constructor(context: WorkloadContext, everyMs: number) {
    this.#context = context;
    this.#everyMs = everyMs;
  }

  start(): void {
    this.#running = true;
    this.#loop = this.#compactions();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#wake();
    await this.#loop;
  }

  async #compactions(): Promise<void> {
    const { cluster, processIds } = this.#context;
    const clients = new Map<string, { process: number; client: Etcd3 }>();
    for (let turn = 0; this.#running; turn++) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#everyMs);
        this.#wake = () => (clearTimeout(timer), resolve());
      });
      if (!this.#running) break;
      const members = cluster.members.map((member) => member.name);
      const member = members[turn % members.length]!;
      const bound = clients.get(member) ?? { process: processIds.next(), client: cluster.client(member) };
      clients.set(member, bound);
      if ((await this.#compact(member, bound.process, bound.client)) === "info") {
        bound.client.close();
        clients.delete(member);
      }
    }
    for (const { client } of clients.values()) client.close();
  }

  async #compact(member: string, process: number, client: Etcd3): Promise<"ok" | "fail" | "info"> {
    const { recorder, settings } = this.#context;
    // The revision to compact at is read first, as a client would; a failed read records nothing.
    const current = await storeRevision(client, deadline(settings.opTimeoutMs)).catch(() => undefined);
    if (current === undefined) return "info";
    const base = { process, f: "compact", node: member, value: { revision: current } };
    recorder.record({ ...base, type: "invoke" });
    try {
      const response = await client.kv.compact({ revision: String(current), physical: false }, deadline(settings.opTimeoutMs));
      recorder.record({ ...base, type: "ok", revision: Number(response.header.revision) });
      return "ok";
    } catch (error) {
      const failure = classifyFailure(error);
      recorder.record({ ...base, type: failure.type, error: failure.error });
      return failure.type;
    }
  }
}
