// Interns JSON values as small integers so models compare and hash numbers, not structures.
export class ValueTable {
  readonly #ids = new Map<string, number>();
  readonly #values: unknown[] = [];

  /** The id of a JSON value; null (absent) is always 0. */
  id(value: unknown): number {
    const text = JSON.stringify(value ?? null);
    let id = this.#ids.get(text);
    if (id === undefined) {
      id = this.#values.length;
      this.#ids.set(text, id);
      this.#values.push(value ?? null);
    }
    return id;
  }

  value(id: number): unknown {
    return this.#values[id];
  }

  /** How reports show a value: JSON, with null written nil as Jepsen does. */
  describe(id: number): string {
    const value = this.#values[id];
    return value === null ? "nil" : JSON.stringify(value);
  }

  constructor() {
    this.id(null);
  }
}
