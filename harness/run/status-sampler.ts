// Samples every member's own view (leader, term, raft index, revision) through the run, on the run clock.
import fs from "node:fs";
import type { StartedCluster } from "../cluster/cluster.ts";
import type { RunClock } from "../history/clock.ts";

export interface StatusSample {
  /** Nanoseconds on the run clock when the answer arrived. */
  time: number;
  member: string;
  /** Leader the member knows of, by name; null when it knows none. */
  leader?: string | null;
  term?: number;
  raftIndex?: number;
  appliedIndex?: number;
  revision?: number;
  /** Set when the member did not answer. */
  error?: string;
}

export class StatusSampler {
  readonly samples: StatusSample[] = [];
  readonly #cluster: StartedCluster;
  readonly #clock: RunClock;
  readonly #fd: number;
  readonly #intervalMs: number;
  #running = false;
  #loop: Promise<void> | undefined;

  constructor(cluster: StartedCluster, clock: RunClock, file: string, intervalMs = 200) {
    this.#cluster = cluster;
    this.#clock = clock;
    this.#fd = fs.openSync(file, "a");
    this.#intervalMs = intervalMs;
  }

  start(): void {
    this.#running = true;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
    fs.closeSync(this.#fd);
  }

  /** The leader a majority of members named in the latest round of samples, if any. */
  majorityLeader(): string | undefined {
    const latest = new Map<string, StatusSample>();
    for (const sample of this.samples.slice(-this.#cluster.members.length * 2)) latest.set(sample.member, sample);
    const counts = new Map<string, number>();
    for (const sample of latest.values()) if (sample.leader) counts.set(sample.leader, (counts.get(sample.leader) ?? 0) + 1);
    const quorum = Math.floor(this.#cluster.members.length / 2) + 1;
    return [...counts].find(([, count]) => count >= quorum)?.[0];
  }

  /** Samples once now, outside the periodic loop; also used after faults for a fresh view. */
  async sample(): Promise<StatusSample[]> {
    const statuses = await this.#cluster.statuses(Math.min(500, this.#intervalMs * 2));
    const time = this.#clock.now();
    const taken: StatusSample[] = [...statuses].map(([member, status]) =>
      status instanceof Error
        ? { time, member, error: status.message }
        : {
            time,
            member,
            leader: this.#cluster.nameOf(status.leaderId) ?? null,
            term: status.raftTerm,
            raftIndex: status.raftIndex,
            appliedIndex: status.raftAppliedIndex,
            revision: status.revision,
          },
    );
    for (const sample of taken) {
      this.samples.push(sample);
      fs.writeSync(this.#fd, `${JSON.stringify(sample)}\n`);
    }
    return taken;
  }

  async #run(): Promise<void> {
    while (this.#running) {
      const started = performance.now();
      await this.sample();
      const rest = this.#intervalMs - (performance.now() - started);
      if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    }
  }
}

/** status.jsonl lines; a line cut short by a killed run is skipped. */
export function readStatusFile(file: string): StatusSample[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const samples: StatusSample[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const sample = JSON.parse(line) as StatusSample;
      if (typeof sample.time === "number" && typeof sample.member === "string") samples.push(sample);
    } catch {
      // Only the last line can be cut short; the rest of the samples still tell the story.
    }
  }
  return samples;
}
