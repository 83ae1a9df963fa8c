// Simulated pauses of the harness's own client processes (a stop-the-world GC pause in one client), for faults on clients, not etcd.
//
// The harness's clients share one Node process, so a real SIGSTOP would stop them all, the nemesis with
// them. Instead a workload enrols what a pause would stop in one client process (a lock holder: its lease
// keep-alive and its next call) and a fault freezes it: the keep-alive stops at once and the client's
// next call waits until the pause ends, then goes ahead as if nothing had happened, which is what a
// process resuming from a GC pause does. etcd and every other client carry on meanwhile.

export interface Pausable {
  process: number;
  member: string;
  /** What it is doing, for the fault's record ("holds lock/l0"). */
  doing: string;
  /** Stops its background work (a lease keep-alive) at once. */
  freeze(): void;
}

export interface FrozenClient {
  process: number;
  member: string;
  doing: string;
}

/** A pause ends by itself after this long if nothing heals it, so a forgotten heal cannot hang a workload's stop. */
const maxPauseMs = 120_000;

export class ClientPauses {
  readonly #enrolled = new Set<Pausable>();
  readonly #frozen = new Map<Pausable, { resumed: Promise<void>; resume: () => void; since: number }>();
  readonly #enrolling = new Set<(pausable: Pausable) => void>();

  /** Makes a client pausable while it does what it enrolled for; the returned function takes it back out. */
  enrol(pausable: Pausable): () => void {
    this.#enrolled.add(pausable);
    for (const notify of this.#enrolling) notify(pausable);
    return () => this.#enrolled.delete(pausable);
  }

  /**
   * The enrolled clients bound to one of `members`; when none is enrolled now and `waitMs` > 0, the next
   * one to enrol within that time. `fresh` asks for the next one to enrol even when some are enrolled now.
   */
  async find(members: string[], waitMs: number, fresh = false): Promise<Pausable[]> {
    const bound = (pausable: Pausable): boolean => members.includes(pausable.member);
    const now = fresh ? [] : [...this.#enrolled].filter(bound);
    if (now.length > 0 || waitMs <= 0) return now;
    return new Promise((resolve) => {
      const notify = (pausable: Pausable): void => {
        if (!bound(pausable)) return;
        done([pausable]);
      };
      const timer = setTimeout(() => done([]), waitMs);
      const done = (found: Pausable[]): void => {
        clearTimeout(timer);
        this.#enrolling.delete(notify);
        resolve(found);
      };
      this.#enrolling.add(notify);
    });
  }

  /** Freezes clients until `resume()` (or, failing that, a couple of minutes). */
  freeze(pausables: Pausable[]): FrozenClient[] {
    // One run's clients pause together: a run owns one ClientPauses, shared by its workload and faults.
    for (const pausable of pausables) {
      if (this.#frozen.has(pausable)) continue;
      pausable.freeze();
      let resume: () => void = () => {};
      const resumed = new Promise<void>((resolve) => (resume = resolve));
      const timer = setTimeout(() => this.#thaw(pausable), maxPauseMs);
      this.#frozen.set(pausable, { resumed, resume: () => (clearTimeout(timer), resume()), since: performance.now() });
    }
    return pausables.map(({ process, member, doing }) => ({ process, member, doing }));
  }

  /** Ends the pauses of the given clients (every pause when none are given); idempotent. */
  resume(pausables?: Pausable[]): void {
    for (const pausable of pausables ?? [...this.#frozen.keys()]) this.#thaw(pausable);
  }

  /** Resolves at once unless the client is frozen, then when its pause ends, with how long it was frozen (ms). */
  async until(pausable: Pausable): Promise<number> {
    const frozen = this.#frozen.get(pausable);
    if (!frozen) return 0;
    await frozen.resumed;
    return performance.now() - frozen.since;
  }

  #thaw(pausable: Pausable): void {
    this.#frozen.get(pausable)?.resume();
    this.#frozen.delete(pausable);
  }
}
