// A service that campaigns for leadership with etcd3's election API and does work only while it leads; fenced, each piece of work is a transaction conditioned on its leader key's revision.
import { Etcd3, type Campaign } from "etcd3";
import type { Recording } from "etcd-chaos-harness";

export interface LeaderServiceOptions {
  /** This instance's name (the value it campaigns with). */
  name: string;
  /** The etcd endpoints it talks to (host:port), e.g. one member's, as a sidecar's local member. */
  endpoints: string[];
  /** The election's name: every instance of the service campaigns in the same one. */
  election: string;
  /** Lease TTL of the campaign, seconds. */
  ttlSeconds: number;
  /**
   * Fenced: every piece of work is a transaction that commits only while this instance's leader key
   * still exists at the revision it was created with. Unfenced: the work is done whenever the instance
   * believes it leads (what etcd3's `elected` event told it, until its lease is reported lost).
   */
  fenced: boolean;
  /** Time a piece of work takes after its write, and the pause between pieces. */
  workMs?: number;
  idleMs?: number;
  /** When given, each piece of work is recorded as a critical section, for the harness's lock checker. */
  record?: { recording: Recording; node: string };
}

export class LeaderService {
  readonly name: string;
  readonly #options: Required<Omit<LeaderServiceOptions, "record">> & Pick<LeaderServiceOptions, "record">;
  readonly #client: Etcd3;
  readonly #process: number;
  #campaign: Campaign | undefined;
  #leaderKey: { key: string; revision: string; lease: string } | undefined;
  #running = false;
  #loop: Promise<void> | undefined;
  #idleWaiters: Array<() => void> = [];
  /** Pieces of work done (committed, for the fenced service). */
  worked = 0;

  constructor(options: LeaderServiceOptions) {
    this.name = options.name;
    this.#options = { workMs: 50, idleMs: 200, ...options };
    // etcd3's defaults: no deadline on calls, so a call to a paused member waits until it resumes.
    this.#client = new Etcd3({ hosts: options.endpoints.map((endpoint) => `http://${endpoint}`) });
    this.#process = options.record?.recording.process() ?? 0;
  }

  /** Whether this instance believes it leads now. */
  get leading(): boolean {
    return this.#leaderKey !== undefined;
  }

  start(): void {
    this.#running = true;
    this.#campaignOnce();
    this.#loop = this.#work();
  }

  /** Resolves once this instance believes it leads. */
  async elected(budgetMs = 30_000): Promise<void> {
    const deadline = Date.now() + budgetMs;
    while (!this.leading) {
      if (Date.now() > deadline) throw new Error(`${this.name} was not elected within ${budgetMs}ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Resolves right after the next piece of work ended, at the start of an idle gap (a test pauses etcd there). */
  idle(): Promise<void> {
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
    await this.#campaign?.resign().catch(() => undefined);
    this.#client.close();
  }

  #campaignOnce(): void {
    const campaign = this.#client.election(this.#options.election, this.#options.ttlSeconds).campaign(this.name);
    this.#campaign = campaign;
    campaign.on("elected", () => {
      void (async () => {
        const key = await campaign.getCampaignKey();
        const revision = (await this.#client.get(key).exec()).kvs[0]?.create_revision;
        if (revision === undefined || this.#campaign !== campaign) return;
        this.#leaderKey = { key, revision, lease: key.slice(key.lastIndexOf("/") + 1) };
      })().catch(() => this.#lost(campaign));
    });
    campaign.on("error", () => this.#lost(campaign));
  }

  /** etcd3 reported the lease lost (or the campaign failed): stop leading and campaign again. */
  #lost(campaign: Campaign): void {
    if (this.#campaign !== campaign) return;
    this.#leaderKey = undefined;
    this.#campaign = undefined;
    campaign.resign().catch(() => undefined);
    if (this.#running) setTimeout(() => this.#running && this.#campaignOnce(), 500);
  }

  async #work(): Promise<void> {
    const { idleMs } = this.#options;
    let piece = 0;
    while (this.#running) {
      const leader = this.#leaderKey;
      if (leader) {
        piece++;
        await this.#doWork(leader, piece).catch(() => undefined);
        for (const wake of this.#idleWaiters.splice(0)) wake();
      }
      await new Promise((resolve) => setTimeout(resolve, leader ? idleMs : 50));
    }
  }

  /**
   * One piece of work: its write, then `workMs` of processing, as a critical section. Unfenced, the
   * section begins when the instance decides it leads; fenced, when etcd committed the conditional write.
   */
  async #doWork(leader: { key: string; revision: string; lease: string }, piece: number): Promise<void> {
    const { record, ttlSeconds, workMs, fenced } = this.#options;
    const spec = { f: "acquire", key: "work", value: { holder: this.name, ttl: ttlSeconds }, ...(record ? { node: record.node } : {}) };
    const acquire = record?.recording.invoke(this.#process, spec);
    const write = `${this.name} piece ${piece}`;
    if (fenced) {
      try {
        const result = await this.#client.if(leader.key, "Create", "==", leader.revision).then(this.#client.put("work/last").value(write)).commit();
        if (!result.succeeded) {
          acquire?.fail("the leader key is gone or was re-created: no longer the leader");
          return;
        }
      } catch (error) {
        acquire?.info(error);
        throw error;
      }
      acquire?.ok({ holder: this.name, lease: leader.lease });
    } else {
      acquire?.ok({ holder: this.name, lease: leader.lease });
      await this.#client.put("work/last").value(write).catch(() => undefined);
    }
    this.worked++;
    await new Promise((resolve) => setTimeout(resolve, workMs));
    const release = record?.recording.invoke(this.#process, { f: "release", key: "work", value: { lease: leader.lease }, ...(record ? { node: record.node } : {}) });
    release?.ok({ lease: leader.lease });
  }
}
