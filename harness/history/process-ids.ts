// Client process ids, unique over a run, handed to every kind of client process (workload, final reads, faults that write).

export class ProcessIds {
  #next = 0;

  next(): number {
    return this.#next++;
  }
}
