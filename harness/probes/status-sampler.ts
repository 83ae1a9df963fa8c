// Samples every member's own view (leader, term, raft index, revision, raft state) through the run, on the run clock.
import fs from "node:fs";
import type { RaftSample, StatusSample } from "../../record/status.ts";
import type { Cluster } from "../cluster/backend.ts";
import { raftId, raftView } from "../cluster/raft-status.ts";
import type { RunClock } from "../history/clock.ts";

export class StatusSampler {
  readonly samples: StatusSample[] = [];
  readonly #cluster: Cluster;
  readonly #clock: RunClock;
  readonly #fd: number;
  readonly #intervalMs: number;
  #running = false;
  #loop: Promise<void> | undefined;

  constructor(cluster: Cluster, clock: RunClock, file: string, intervalMs = 200) {
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
    const timeoutMs = Math.min(500, this.#intervalMs * 2);
    const requested = this.#clock.now();
    const [statuses, rafts] = await Promise.all([this.#cluster.statuses(timeoutMs), this.#raftViews(timeoutMs)]);
    const time = this.#clock.now();
    const taken: StatusSample[] = [...statuses].map(([member, status]) => {
      const raft = rafts.get(member);
      const raftPart = raft === undefined ? {} : typeof raft === "string" ? { raftError: raft } : { raft };
      return status instanceof Error
        ? { time, requested, member, error: status.message, ...raftPart }
        : {
            time,
            requested,
            member,
            leader: this.#cluster.nameOf(status.leaderId) ?? null,
            term: status.raftTerm,
            raftIndex: status.raftIndex,
            appliedIndex: status.raftAppliedIndex,
            revision: status.revision,
            ...raftPart,
          };
    });
    for (const sample of taken) {
      this.samples.push(sample);
      fs.writeSync(this.#fd, `${JSON.stringify(sample)}\n`);
    }
    return taken;
  }

  /** Every member's raft state, or why it could not be read. */
  async #raftViews(timeoutMs: number): Promise<Map<string, RaftSample | string>> {
    const members = [...this.#cluster.members];
    const views = await Promise.all(
      members.map(async (member) => {
        try {
          const view = await raftView(member, timeoutMs);
          const lead = view.leadId === null ? null : (members.find((other) => other.id !== "" && raftId(other.id) === view.leadId)?.name ?? view.leadId);
          return [member.name, { ...view, lead }] as const;
        } catch (error) {
          return [member.name, error instanceof Error ? error.message : String(error)] as const;
        }
      }),
    );
    return new Map<string, RaftSample | string>(views);
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
