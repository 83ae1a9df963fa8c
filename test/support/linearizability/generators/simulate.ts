// Linearizable-by-construction histories: concurrent clients whose operations take effect at a point
// between invocation and completion (or, when uncertain, at any later time or never), on a real store.
import type { HistoryEntry } from "../../../../record/history/entry.ts";
import { seededRandom } from "../../../../harness/random.ts";
import type { Request, Response, Spec } from "./specs.ts";

export interface SimulationOptions {
  seed: number;
  /** Operations invoked in all. */
  operations: number;
  keys: number;
  /** Concurrent clients; a client whose operation ends `info` continues under a fresh process id, as in Jepsen. */
  clients: number;
  /** Share of operations that end `info` (outcome unknown); default 0.05. */
  infoRate?: number;
  /** Share of operations that end `fail` (no effect); default 0.02. */
  failRate?: number;
}

type Phase = "idle" | "invoked" | "applied";

interface Client {
  process: number;
  phase: Phase;
  request: Request;
  outcome: "ok" | "info" | "fail";
  response: Response | undefined;
  /** An `info` operation that takes effect only after its completion was recorded. */
  late: boolean;
}

/** A history of `spec` operations that is linearizable: every operation takes effect inside its interval. */
export function simulateHistory<Store>(spec: Spec<Store>, options: SimulationOptions): HistoryEntry[] {
  const random = seededRandom(options.seed);
  const infoRate = options.infoRate ?? 0.05;
  const failRate = options.failRate ?? 0.02;
  const store = spec.create();
  const entries: HistoryEntry[] = [];
  let nextProcess = options.clients;
  let counter = 0;
  const fresh = () => ++counter;
  const clients: Client[] = [];
  for (let p = 0; p < options.clients; p++) {
    clients.push({ process: p, phase: "idle", request: { f: "" }, outcome: "ok", response: undefined, late: false });
  }
  const late: Request[] = [];
  let invoked = 0;
  let busy = 0;
  let time = 0;
  const record = (client: Client, type: HistoryEntry["type"], value: unknown, revision?: number) => {
    const entry: HistoryEntry = { index: entries.length, time: (time += 1 + random.below(3)), process: client.process, type, f: client.request.f };
    if (client.request.key !== undefined) entry.key = client.request.key;
    if (value !== undefined) entry.value = value;
    if (revision !== undefined) entry.revision = revision;
    entries.push(entry);
  };

  while (invoked < options.operations || busy > 0 || late.length > 0) {
    if (late.length > 0 && (random.next() < 0.02 || (invoked >= options.operations && busy === 0))) {
      // A timed-out operation lands long after its client gave up on it.
      spec.apply(store, late.splice(random.below(late.length), 1)[0]!);
      continue;
    }
    const client = clients[random.below(clients.length)]!;
    if (client.phase === "idle") {
      if (invoked >= options.operations) continue;
      invoked++;
      busy++;
      client.request = spec.randomRequest(random, `k${random.below(options.keys)}`, fresh);
      const r = random.next();
      client.outcome = r < failRate ? "fail" : r < failRate + infoRate ? "info" : "ok";
      client.late = false;
      client.response = undefined;
      client.phase = "invoked";
      record(client, "invoke", client.request.value);
    } else if (client.phase === "invoked") {
      // The linearization point.
      if (client.outcome === "ok") client.response = spec.apply(store, client.request);
      else if (client.outcome === "info") {
        const r = random.next();
        if (r < 0.4) spec.apply(store, client.request);
        else if (r < 0.7) client.late = true;
      }
      client.phase = "applied";
    } else {
      busy--;
      client.phase = "idle";
      if (client.outcome === "ok") record(client, "ok", client.response!.value, client.response!.revision);
      else record(client, client.outcome, client.request.value);
      if (client.outcome === "info") {
        if (client.late) late.push(client.request);
        client.process = nextProcess++;
      }
    }
  }
  return entries;
}
