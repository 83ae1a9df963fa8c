// Client processes bound to members, paced to a rate, each running the operations a source hands it.
//
// Jepsen's rule for processes: every operation is recorded as an invocation and a completion; an
// operation whose outcome is unknown (info) ends its process, and a fresh process id with a fresh
// client and state takes the slot, bound to the same member.
//
// Membership changes (harness/cluster/membership.ts): each slot has a home member. While the home is
// not a member (removed, or between removal and re-addition in a replace), the slot's next process is
// bound to the member with the fewest slots; once the home is back, the process elsewhere is retired
// (it issues nothing more, with no info) and a fresh one takes the slot at home. So a removed member
// costs each of its processes at most the one operation in flight, and a replaced member serves its
// clients again. Members added later serve only slots whose home left.
//
// With clientEndpoints "all" no process is bound: each is given every member (etcd3 picks one per call),
// its invocations name no member, and its completions name the member etcd3 sent the call to.
import type { Etcd3 } from "etcd3";
import { deadline, signIn, takeTarget } from "../harness/clients/etcd-client.ts";
import { classifyFailure } from "../harness/clients/outcome.ts";
import type { Random } from "../harness/random.ts";
import { memberAtEndpoint, memberToBind } from "./binding.ts";
import type { Workload, WorkloadContext } from "./workload.ts";

export interface Completion {
  type: "ok" | "fail";
  /** The result; when absent the invocation's value is repeated, as Jepsen does for writes. */
  value?: unknown;
  revision?: number;
  error?: string;
}

export interface Invocation {
  /** Milliseconds to wait before invoking, on top of the pacing (a lock holder's time in its critical section). */
  delayMs?: number;
  /** Awaited after the delay, before the invocation is recorded: a paused client (client-pauses.ts) does nothing until it resumes. */
  ready?: () => Promise<unknown>;
  f: string;
  key?: string;
  value?: unknown;
  /** Runs the operation; throws on an error, which the failure table classifies as fail or info. */
  run(client: Etcd3, options: { deadline: Date }): Promise<Completion>;
}

/** What a process given every member is bound to. */
export const everyMember = "all";

export interface ClientProcess<S> {
  process: number;
  /** The member the process is bound to, or everyMember. */
  member: string;
  /** This process's own random stream (its slot and generation's), so its choices replay from the seed. */
  random: Random;
  /** What this process has seen so far (for example the revisions of keys it read). */
  state: S;
}

export interface OperationSource<S> {
  initialState(): S;
  next(process: ClientProcess<S>): Invocation;
}

interface Slot<S> extends ClientProcess<S> {
  client: Etcd3;
}

export class ClientPool<S> implements Workload {
  readonly #context: WorkloadContext;
  readonly #source: OperationSource<S>;
  readonly #sleepers = new Set<() => void>();
  #running = false;
  #loops: Promise<void>[] = [];
  /** The member each slot's current process is bound to. */
  readonly #boundTo: string[] = [];

  constructor(context: WorkloadContext, source: OperationSource<S>) {
    this.#context = context;
    this.#source = source;
  }

  /** Starts `processes` slots (the settings' concurrency by default), the first bound to member `firstMember`. */
  start(processes = this.#context.settings.concurrency, firstMember = 0): void {
    const members = this.#context.cluster.members;
    this.#running = true;
    this.#loops = Array.from({ length: processes }, (_, index) => {
      const member = this.#context.settings.clientEndpoints === "all" ? everyMember : members[(firstMember + index) % members.length]!.name;
      return this.#loop(member, index, processes);
    });
  }

  async stop(): Promise<void> {
    this.#running = false;
    for (const wake of this.#sleepers) wake();
    await Promise.all(this.#loops);
  }

  /** A fresh process in slot `index`: the slot's `generation`-th, with a stream of its own, signed in when auth is on. */
  async #open(member: string, index: number, generation: number): Promise<Slot<S>> {
    const { processIds, cluster, randomFor, settings } = this.#context;
    const client = member === everyMember ? cluster.clientOfAll() : cluster.client(member);
    await signIn(client, settings.opTimeoutMs * 5);
    return { process: processIds.next(), member, random: randomFor("client", index, generation), state: this.#source.initialState(), client };
  }

  /** For a process given every member, the member its last call went to; nothing for a bound one (its invocation named it). */
  #targetOf(slot: Slot<S>): { node?: string } {
    if (slot.member !== everyMember) return {};
    const target = memberAtEndpoint(this.#context.cluster, takeTarget(slot.client));
    return target !== undefined ? { node: target } : {};
  }

  async #loop(home: string, index: number, processes: number): Promise<void> {
    const intervalMs = (1000 * processes) / this.#context.settings.rate;
    this.#boundTo[index] = home;
    let generation = 0;
    let slot = await this.#open(home, index, generation);
    // Stagger the processes so the rate is smooth rather than in bursts.
    let next = performance.now() + (intervalMs * index) / processes;
    while (this.#running) {
      await this.#sleepUntil(next);
      if (!this.#running) break;
      next = Math.max(next + intervalMs, performance.now());
      const member = this.#memberFor(home, slot.member, index);
      if (member !== slot.member) {
        slot.client.close();
        slot = await this.#open(member, index, ++generation);
        this.#boundTo[index] = member;
      }
      if ((await this.#operate(slot)) === "info") {
        slot.client.close();
        slot = await this.#open(this.#memberFor(home, slot.member, index), index, ++generation);
        this.#boundTo[index] = slot.member;
      }
    }
    slot.client.close();
  }

  /**
   * The slot's home while it is a member, or while it is a lost machine whose address the clients keep (a
   * disaster runbook points that address elsewhere); else the member the slot is on, if still one; else the
   * one with the fewest slots.
   */
  #memberFor(home: string, current: string, index: number): string {
    if (home === everyMember) return everyMember;
    if (this.#context.cluster.recovery?.keptAddresses().includes(home)) return home;
    return memberToBind(this.#context.cluster.members.map((member) => member.name), home, current, (names) => {
      const load = new Map(names.map((name) => [name, 0]));
      this.#boundTo.forEach((member, slot) => {
        if (slot !== index && load.has(member)) load.set(member, load.get(member)! + 1);
      });
      return [...load].sort((a, b) => a[1] - b[1])[0]?.[0] ?? home;
    });
  }

  async #operate(slot: Slot<S>): Promise<"ok" | "fail" | "info"> {
    const { recorder, settings } = this.#context;
    const invocation = this.#source.next(slot);
    if (invocation.delayMs) await this.#sleepUntil(performance.now() + invocation.delayMs);
    await invocation.ready?.();
    const base = {
      process: slot.process,
      f: invocation.f,
      ...(slot.member !== everyMember ? { node: slot.member } : {}),
      ...(invocation.key !== undefined ? { key: invocation.key } : {}),
    };
    recorder.record({ ...base, type: "invoke", ...(invocation.value !== undefined ? { value: invocation.value } : {}) });
    takeTarget(slot.client);
    try {
      const completion = await invocation.run(slot.client, deadline(settings.opTimeoutMs));
      const value = completion.value !== undefined ? completion.value : invocation.value;
      recorder.record({
        ...base,
        ...this.#targetOf(slot),
        type: completion.type,
        ...(value !== undefined ? { value } : {}),
        ...(completion.revision !== undefined ? { revision: completion.revision } : {}),
        ...(completion.error !== undefined ? { error: completion.error } : {}),
      });
      return completion.type;
    } catch (error) {
      const failure = classifyFailure(error);
      recorder.record({ ...base, ...this.#targetOf(slot), type: failure.type, ...(invocation.value !== undefined ? { value: invocation.value } : {}), error: failure.error });
      return failure.type;
    }
  }

  #sleepUntil(at: number): Promise<void> {
    const ms = at - performance.now();
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.#sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#sleepers.add(wake);
    });
  }
}
