// The one clock of a run: nanoseconds since its base, shared by client operations, faults and probes.

export class RunClock {
  readonly #base = process.hrtime.bigint();
  /** Wall-clock time of the base, for reports. */
  readonly startedAt = new Date();

  /** Nanoseconds since the base. */
  now(): number {
    return Number(process.hrtime.bigint() - this.#base);
  }

  /** Milliseconds since the base. */
  elapsedMs(): number {
    return this.now() / 1e6;
  }
}
