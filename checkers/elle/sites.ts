// Where each write was made (transaction, micro-operation, whether its transaction's last to the key), in flat arrays, not an object per write.

export class WriteSites {
  #txn = new Int32Array(1024);
  #op = new Int32Array(1024);
  #last = new Uint8Array(1024);
  #count = 0;

  /** Records a write; `alone`: its transaction's only write to the key. Returns its site number. */
  add(txn: number, op: number, last: boolean, alone = last): number {
    if (this.#count === this.#txn.length) {
      const grow = <T extends Int32Array | Uint8Array>(array: T, next: T): T => (next.set(array), next);
      this.#txn = grow(this.#txn, new Int32Array(this.#count * 2));
      this.#op = grow(this.#op, new Int32Array(this.#count * 2));
      this.#last = grow(this.#last, new Uint8Array(this.#count * 2));
    }
    const site = this.#count++;
    this.#txn[site] = txn;
    this.#op[site] = op;
    this.#last[site] = (last ? 1 : 0) | (alone ? 2 : 0);
    return site;
  }

  txn(site: number): number {
    return this.#txn[site]!;
  }

  op(site: number): number {
    return this.#op[site]!;
  }

  /** Whether it is its transaction's last write to the key (a read that saw another saw the transaction half done). */
  last(site: number): boolean {
    return (this.#last[site]! & 1) === 1;
  }

  alone(site: number): boolean {
    return (this.#last[site]! & 2) === 2;
  }
}
