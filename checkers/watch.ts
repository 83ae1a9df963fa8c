// The watch checker: every watcher's events, over its chain of sessions, against etcd's watch guarantees and the recorded writes (docs/guarantees.md).
import type { Anomaly, CheckResult } from "../record/check-result.ts";
import type { HistoryEntry } from "../record/history/entry.ts";
import type { TxnSpec } from "../record/values/etcd.ts";
import type { WatchEvent, WatchSessionRecord, WatchSessionStart } from "../record/values/watch.ts";
import type { Checker } from "./checker.ts";
import { pairOperations, type Operation } from "./operations.ts";

export type WatchGuarantee = "ordered" | "unique" | "reliable" | "atomic" | "resumable" | "progress" | "values";

const guarantees: WatchGuarantee[] = ["ordered", "unique", "reliable", "atomic", "resumable", "progress", "values"];
const maxListed = 20;

export interface WriteSummary {
  process: number;
  f: string;
  type: "ok" | "info" | "fail";
  /** History index of the write's invocation. */
  index: number;
  key?: string;
  value?: unknown;
  revision?: number;
}

export interface WatchViolation {
  guarantee: WatchGuarantee;
  watcher: string;
  process: number;
  member?: string;
  /** The session's position in its watcher's chain (from 0) and the history index of its invocation. */
  session: number;
  sessionIndex: number;
  revision: number;
  key?: string;
  event?: WatchEvent;
  write?: WriteSummary;
  detail: string;
}

export interface WatcherSummary {
  watcher: string;
  members: string[];
  processes: number[];
  sessions: number;
  events: number;
  /** Expected events (writes to watched keys inside a judged span) checked for delivery. */
  judged: number;
  /** Highest revision up to which delivery was judged. */
  judgedThrough: number;
  /** Expected events after judgedThrough: not judged (no later event bounds them). */
  notJudgedAfter: number;
  /** Revisions skipped because etcd compacted them while the watcher was behind. */
  compacted: Array<{ from: number; to: number; writes: number }>;
}

interface Effect {
  type: "put" | "delete";
  key: string;
  value?: string;
  /** A delete not known to have removed anything: its event may be missing. */
  optional: boolean;
}

interface Write {
  op: Operation;
  /** The effects of each branch it may have taken (one when acknowledged). */
  alternatives: Effect[][];
  acknowledged: boolean;
  revision?: number;
}

interface Session {
  op: Operation;
  watcher: string;
  position: number;
  from: number;
  record?: WatchSessionRecord;
  events: WatchEvent[];
  /** Response number of each event, when responses were recorded. */
  responseOf?: number[];
  /** Last revision this session certainly received everything up to, or undefined when it proved nothing. */
  spanEnd?: number;
  /** Completion time: an event seen in this session happened before it. */
  endTime: number;
}

interface Observation {
  session: Session;
  event: WatchEvent;
}

const eventKey = (revision: number, key: string): string => `${revision}\u0000${key}`;

export const watchChecker: Checker = {
  name: "watch",
  check(run): CheckResult {
    const operations = pairOperations(run.history);
    const sessions = operations.filter((op) => op.f === "watch");
    if (sessions.length === 0) return { verdict: "unknown", summary: "no watch sessions in the history", anomalies: [] };
    const writes = operations.filter((op) => op.type !== "fail" && (op.f === "put" || op.f === "delete" || op.f === "txn")).map(writeOf);
    const failed = operations.filter((op) => op.type === "fail" && (op.f === "put" || op.f === "delete" || op.f === "txn")).map(writeOf);
    return new WatchJudge(writes, failed, sessions, readPins(operations), historyFloor(operations)).judge();
  },
};

class WatchJudge {
  readonly #violations: WatchViolation[] = [];
  /** Acknowledged writes by revision. */
  readonly #byRevision = new Map<number, Write[]>();
  /** Uncertain writes by the put effects they may have: "key\0value". */
  readonly #uncertainPuts = new Map<string, Write[]>();
  readonly #uncertainDeletes = new Map<string, Write[]>();
  readonly #failedPuts = new Map<string, Write>();
  /** Uncertain writes an event pinned to a revision. */
  readonly #revealed = new Map<Write, number>();
  readonly #sessions: Session[];
  readonly #writes: Write[];
  /** Every event seen, by revision: what the watchers say each revision did. */
  readonly #observed = new Map<number, Observation[]>();
  /** Per watcher: the (revision, key) pairs it received. */
  readonly #received = new Map<string, Set<string>>();

  /** What reads showed: a key's value at a mod revision, which pins the uncertain write that stored it there. */
  readonly #pins: ReadPin[];
  /** Revisions above this one were made during the history, so by its writes (see historyFloor). */
  readonly #floor: number;

  constructor(writes: Write[], failed: Write[], sessionOps: Operation[], pins: ReadPin[], floor: number) {
    this.#writes = writes;
    this.#pins = pins;
    this.#floor = floor;
    for (const write of writes) {
      if (write.acknowledged && write.revision !== undefined) {
        if (producesRevision(write)) this.#byRevision.set(write.revision, [...(this.#byRevision.get(write.revision) ?? []), write]);
        continue;
      }
      for (const effect of write.alternatives.flat()) {
        const index = effect.type === "put" ? this.#uncertainPuts : this.#uncertainDeletes;
        const name = effect.type === "put" ? `${effect.key}\u0000${effect.value}` : effect.key;
        index.set(name, [...(index.get(name) ?? []), write]);
      }
    }
    for (const write of failed) {
      for (const effect of write.alternatives.flat()) if (effect.type === "put") this.#failedPuts.set(`${effect.key}\u0000${effect.value}`, write);
    }
    this.#sessions = sessionsOf(sessionOps);
  }

  judge(): CheckResult {
    const byWatcher = Map.groupBy(this.#sessions, (session) => session.watcher);
    for (const [watcher, chain] of byWatcher) this.#walk(watcher, chain);
    const expected = this.#checkValues();
    const watchers = [...byWatcher].map(([watcher, chain]) => this.#checkDelivery(watcher, chain, expected));
    return this.#result(watchers);
  }

  /** Order, uniqueness, response atomicity and the resume chain, event by event along one watcher. */
  #walk(watcher: string, chain: Session[]): void {
    const received = new Set<string>();
    this.#received.set(watcher, received);
    let last: { revision: number; session: Session; response?: number } | undefined;
    let previous: Session | undefined;
    for (const session of chain) {
      if (previous) {
        const expectedFrom = resumeRevision(previous);
        if (session.from !== expectedFrom) {
          this.#violate(session, "resumable", session.from, {
            detail: `session ${session.position} resumed from revision ${session.from}, but the previous session ${resumeReason(previous)}, so it should have resumed from ${expectedFrom}`,
          });
        }
      }
      previous = session;
      const progressBefore = progressBounds(session);
      session.events.forEach((event, position) => {
        const revision = event.modRevision;
        const response = session.responseOf?.[position];
        const promised = response !== undefined ? progressBefore[response] : undefined;
        if (promised !== undefined && revision <= promised.revision) {
          this.#violate(session, "progress", revision, {
            key: event.key,
            event,
            detail: `session ${session.position} got a progress notification at revision ${promised.revision} (response ${promised.response}), then an event of revision ${revision} (response ${response}): the notification ran ahead of the events`,
          });
        }
        (this.#observed.get(revision) ?? this.#observed.set(revision, []).get(revision)!).push({ session, event });
        if (revision < session.from) {
          this.#violate(session, "resumable", revision, { key: event.key, event, detail: `session ${session.position} started from revision ${session.from} but received an event of revision ${revision}` });
          return;
        }
        const name = eventKey(revision, event.key);
        if (received.has(name)) {
          this.#violate(session, "unique", revision, { key: event.key, event, detail: `${event.type} of ${event.key} at revision ${revision} was delivered to ${watcher} a second time` });
          return;
        }
        received.add(name);
        if (last && revision < last.revision) {
          this.#violate(session, "ordered", revision, { key: event.key, event, detail: `event of revision ${revision} arrived after one of revision ${last.revision}` });
        } else if (last && revision === last.revision && (last.session !== session || (response !== undefined && last.response !== undefined && response !== last.response))) {
          const where = last.session !== session ? `sessions ${last.session.position} and ${session.position}` : `responses ${last.response} and ${response} of session ${session.position}`;
          this.#violate(session, "atomic", revision, { key: event.key, event, detail: `the events of revision ${revision} were split over ${where}` });
        }
        if (!last || revision >= last.revision) last = { revision, session, ...(response !== undefined ? { response } : {}) };
      });
    }
  }

  /**
   * Every event against the write at its revision (or an uncertain write it reveals), and every watcher
   * against the others. Returns the events each revision must have delivered to a watched key.
   */
  #checkValues(): Map<number, { write: Write; effects: Effect[] }> {
    const expected = new Map<number, { write: Write; effects: Effect[] }>();
    for (const [revision, writes] of this.#byRevision) expected.set(revision, { write: writes[0]!, effects: writes.flatMap((write) => write.alternatives[0]!) });
    // A read that saw an uncertain write's value at a mod revision shows the write took effect there.
    for (const pin of this.#pins) {
      if (expected.has(pin.revision)) continue;
      const write = (this.#uncertainPuts.get(`${pin.key}\u0000${pin.value}`) ?? []).find((candidate) => candidate.op.invoke.time < pin.readAt);
      if (!write || this.#revealed.has(write)) continue;
      this.#revealed.set(write, pin.revision);
      expected.set(pin.revision, { write, effects: write.alternatives.find((effects) => effects.some((effect) => effect.type === "put" && effect.key === pin.key && effect.value === pin.value))! });
    }
    for (const revision of [...this.#observed.keys()].sort((a, b) => a - b)) {
      const observations = this.#observed.get(revision)!;
      const known = expected.get(revision);
      if (known) {
        const wrong = observations.filter(({ event }) => !known.effects.some((effect) => matches(effect, event)));
        for (const { session, event } of wrong) {
          this.#violate(session, "values", revision, { key: event.key, event, write: summary(known.write), detail: `${describeEvent(event)} at revision ${revision}, but revision ${revision} was ${describeWrite(known.write)}` });
        }
        // Those that match the write may still disagree on the version or create revision.
        this.#checkAgreement(revision, observations.filter((observation) => !wrong.includes(observation)));
        continue;
      }
      this.#checkAgreement(revision, observations);
      const explanation = this.#explain(revision, observations);
      if (explanation) expected.set(revision, explanation);
    }
    return expected;
  }

  /** Watchers that saw the same revision and key must have seen the same event. */
  #checkAgreement(revision: number, observations: Observation[]): void {
    const first = new Map<string, Observation>();
    for (const observation of observations) {
      const seen = first.get(observation.event.key);
      if (!seen) {
        first.set(observation.event.key, observation);
        continue;
      }
      if (seen.session.watcher !== observation.session.watcher && !sameEvent(seen.event, observation.event)) {
        this.#violate(observation.session, "values", revision, {
          key: observation.event.key,
          event: observation.event,
          detail: `${observation.session.watcher} got ${describeEvent(observation.event)} at revision ${revision}, ${seen.session.watcher} got ${describeEvent(seen.event)}`,
        });
      }
    }
  }

  /**
   * The uncertain write that explains what watchers saw at a revision no acknowledged write took, if any.
   * An uncertain write (info, or ok without a revision) may have happened: an event is explained by an
   * uncertain write with the same key and value (values are unique), invoked before the session that
   * saw it ended; the event then reveals that write, whose other puts in the same txn are expected at
   * that revision too. Deletes carry no value, so an uncertain delete of the key explains a delete event
   * without being pinned to one revision.
   */
  #explain(revision: number, observations: Observation[]): { write: Write; effects: Effect[] } | undefined {
    const deadline = Math.min(...observations.map((observation) => observation.session.endTime));
    const possible = (write: Write): boolean => write.op.invoke.time < deadline;
    const put = observations.find((observation) => observation.event.type === "put");
    let chosen: { write: Write; effects: Effect[] } | undefined;
    if (put) {
      const write = (this.#uncertainPuts.get(`${put.event.key}\u0000${put.event.value}`) ?? []).find(possible);
      const pinned = write && this.#revealed.get(write);
      if (write && pinned !== undefined && pinned !== revision) {
        this.#violate(put.session, "values", revision, { key: put.event.key, event: put.event, write: summary(write), detail: `${describeEvent(put.event)} at revision ${revision}, but ${describeWrite(write)} already showed up at revision ${pinned}` });
        return undefined;
      }
      if (write) {
        this.#revealed.set(write, revision);
        chosen = { write, effects: write.alternatives.find((effects) => effects.some((effect) => matches(effect, put.event)))! };
      }
    } else {
      const keys = new Set(observations.map((observation) => observation.event.key));
      const write = (this.#uncertainDeletes.get(observations[0]!.event.key) ?? []).find(
        (candidate) => possible(candidate) && candidate.alternatives.some((effects) => [...keys].every((key) => effects.some((effect) => effect.type === "delete" && effect.key === key))),
      );
      if (write) chosen = { write, effects: write.alternatives.find((effects) => [...keys].every((key) => effects.some((effect) => effect.key === key)))! };
    }
    if (!chosen) {
      const { session, event } = put ?? observations[0]!;
      const failed = event.type === "put" ? this.#failedPuts.get(`${event.key}\u0000${event.value}`) : undefined;
      this.#violate(session, "values", revision, {
        key: event.key,
        event,
        ...(failed ? { write: summary(failed) } : {}),
        detail: failed
          ? `${describeEvent(event)} at revision ${revision} shows a write recorded as failed: ${describeWrite(failed)}`
          : `${describeEvent(event)} at revision ${revision} matches no write in the history`,
      });
      return undefined;
    }
    for (const { session, event } of observations) {
      if (!chosen.effects.some((effect) => matches(effect, event))) {
        this.#violate(session, "values", revision, { key: event.key, event, write: summary(chosen.write), detail: `${describeEvent(event)} at revision ${revision}, but revision ${revision} was ${describeWrite(chosen.write)}` });
      }
    }
    return chosen;
  }

  /**
   * Every expected event inside a judged span was delivered to the watcher. A span runs from the
   * session's start revision to its last event (or a later progress notification): etcd delivers in
   * revision order, so having sent revision r it must have sent everything before r. A response's
   * header revision is no bound: etcd catches a lagging watcher up in batches of at most 1000 revisions,
   * each stamped with the store's current revision. Writes after a watcher's last judged revision are
   * counted as not judged, not as missing (etcd promises no delivery time).
   */
  #checkDelivery(watcher: string, chain: Session[], expected: Map<number, { write: Write; effects: Effect[] }>): WatcherSummary {
    const prefix = chain[0]!.op.key ?? "";
    const received = this.#received.get(watcher)!;
    const wanted = [...expected]
      .flatMap(([revision, { write, effects }]) => effects.filter((effect) => !effect.optional && effect.key.startsWith(prefix)).map((effect) => ({ revision, write, effect })))
      .sort((a, b) => a.revision - b.revision);
    let judged = 0;
    let judgedThrough = 0;
    const compacted: WatcherSummary["compacted"] = [];
    const holesOwe = this.#uncertainWritesOnlyUnder(prefix);
    chain.forEach((session, position) => {
      const compactRevision = session.record?.compactRevision;
      if (compactRevision !== undefined && chain[position + 1]) {
        const from = afterEvents(session);
        compacted.push({ from, to: compactRevision - 1, writes: between(wanted, from, compactRevision - 1).length });
      }
      if (session.spanEnd === undefined) return;
      judgedThrough = Math.max(judgedThrough, session.spanEnd);
      const firstEvent = session.events.find((event) => event.modRevision >= session.from)?.modRevision;
      for (const { revision, write, effect } of between(wanted, session.from, session.spanEnd)) {
        judged++;
        if (received.has(eventKey(revision, effect.key))) continue;
        const base = { key: effect.key, write: summary(write) };
        const what = `${effect.type} of ${effect.key} at revision ${revision} (${describeWrite(write)})`;
        const siblings = expected.get(revision)!.effects.filter((other) => other !== effect && other.key.startsWith(prefix));
        if (siblings.some((other) => received.has(eventKey(revision, other.key)))) {
          this.#violate(session, "atomic", revision, { ...base, detail: `${watcher} received part of revision ${revision} (${siblings.filter((other) => received.has(eventKey(revision, other.key))).map((other) => other.key).join(", ")}) but not the ${what}` });
        } else if (firstEvent !== undefined && revision < firstEvent) {
          this.#violate(session, "resumable", revision, { ...base, detail: `session ${session.position} resumed from revision ${session.from} and skipped the ${what} before its first event at revision ${firstEvent}` });
        } else {
          const bound = firstEvent === undefined ? `a progress notification at revision ${session.spanEnd}` : `revision ${session.spanEnd}`;
          this.#violate(session, "reliable", revision, { ...base, detail: `${watcher} missed the ${what} although it received ${bound}` });
        }
      }
      // Every revision made during the history is one of its writes. A revision in the span that no
      // acknowledged write holds, that no read pinned and that no watcher saw, was made by an uncertain
      // write; when every uncertain write changes only watched keys, it owes this watcher an event.
      if (!holesOwe) return;
      for (let revision = Math.max(session.from, this.#floor + 1); revision <= session.spanEnd; revision++) {
        if (expected.has(revision) || this.#observed.has(revision)) continue;
        judged++;
        this.#violate(session, "reliable", revision, {
          detail:
            `${watcher} received nothing of revision ${revision} although it received revision ${session.spanEnd}: no acknowledged write holds revision ${revision}, ` +
            `so one of the ${this.#uncertainCount()} writes with an unknown outcome made it, and each of those changes only watched keys`,
        });
      }
    });
    const ops = chain.map((session) => session.op);
    return {
      watcher,
      members: [...new Set(ops.map((op) => op.node ?? "?"))],
      processes: [...new Set(ops.map((op) => op.process))],
      sessions: chain.length,
      events: chain.reduce((total, session) => total + session.events.length, 0),
      judged,
      judgedThrough,
      notJudgedAfter: wanted.filter((want) => want.revision > judgedThrough).length,
      compacted,
    };
  }

  /** Writes that may have made a revision without saying which: not acknowledged with a revision, not pinned by a read or an event. */
  #uncertainWrites(): Write[] {
    return this.#writes.filter((write) => !(write.acknowledged && write.revision !== undefined) && !this.#revealed.has(write));
  }

  #uncertainCount(): number {
    return this.#uncertainWrites().length;
  }

  /** Whether every revision an uncertain write could have made changes a key under `prefix` (so owes its watchers an event). */
  #uncertainWritesOnlyUnder(prefix: string): boolean {
    return this.#uncertainWrites().every((write) => write.alternatives.every((effects) => effects.every((effect) => effect.key.startsWith(prefix))));
  }

  #violate(session: Session, guarantee: WatchGuarantee, revision: number, details: Pick<WatchViolation, "detail"> & Partial<WatchViolation>): void {
    this.#violations.push({
      guarantee,
      watcher: session.watcher,
      process: session.op.process,
      ...(session.op.node !== undefined ? { member: session.op.node } : {}),
      session: session.position,
      sessionIndex: session.op.invoke.index,
      revision,
      ...details,
    });
  }

  #result(watchers: WatcherSummary[]): CheckResult {
    const counts = Object.fromEntries(guarantees.map((guarantee) => [guarantee, this.#violations.filter((violation) => violation.guarantee === guarantee).length])) as Record<WatchGuarantee, number>;
    const violations = [...this.#violations].sort((a, b) => a.revision - b.revision || a.watcher.localeCompare(b.watcher));
    const acknowledged = this.#writes.filter((write) => write.acknowledged && write.revision !== undefined).length;
    const evidence = {
      guarantees: counts,
      violations: violations.slice(0, maxListed),
      watchers,
      writes: { acknowledged, uncertain: this.#writes.length - acknowledged, revealed: this.#revealed.size },
      atomicity: this.#sessions.some((session) => session.responseOf) ? "per response and per revision" : "per revision (no responses recorded)",
    };
    const judged = watchers.reduce((total, watcher) => total + watcher.judged, 0);
    const events = watchers.reduce((total, watcher) => total + watcher.events, 0);
    const notJudged = watchers.reduce((total, watcher) => total + watcher.notJudgedAfter, 0);
    const scope = `${watchers.length} watchers, ${this.#sessions.length} sessions, ${events} events, ${judged} expected events judged${notJudged > 0 ? ` (${notJudged} after a watcher's last event not judged)` : ""}`;
    if (violations.length > 0) {
      const broken = guarantees.filter((guarantee) => counts[guarantee] > 0).map((guarantee) => `${guarantee} ${counts[guarantee]}`);
      const first = violations[0]!;
      return {
        verdict: "invalid",
        summary: `${violations.length} watch violations (${broken.join(", ")}); first: ${first.guarantee}: ${first.watcher} (process ${first.process} on ${first.member ?? "?"}, session ${first.session}) ${first.detail}; ${scope}`,
        anomalies: violations.map(anomalyOf),
        ...evidence,
      };
    }
    if (judged === 0) return { verdict: "unknown", summary: `no write fell inside a watcher's judged span; ${scope}`, anomalies: [], ...evidence };
    const notifications = this.#sessions.reduce((total, session) => total + (session.record?.responses?.filter((response) => response.eventCount === 0).length ?? 0), 0);
    const progress = notifications > 0 ? `, ${notifications} progress notifications none ahead of its events` : "";
    return { verdict: "valid", summary: `ordered, unique, reliable, atomic, resumed exactly${progress}, values as written; ${scope}`, anomalies: [], ...evidence };
  }
}

function anomalyOf(violation: WatchViolation): Anomaly {
  return {
    kind: `watch-not-${violation.guarantee}`,
    explanation: `${violation.guarantee}: ${violation.watcher} (process ${violation.process} on ${violation.member ?? "?"}, session ${violation.session}) ${violation.detail}`,
    ops: [violation.sessionIndex],
    ...(violation.write ? { context: [{ label: "the write at that revision", ops: [violation.write.index] }] } : {}),
    members: violation.member ? [violation.member] : [],
  };
}

interface ReadPin {
  key: string;
  value: string;
  revision: number;
  /** When the read was answered: the write it shows was invoked before. */
  readAt: number;
}

/** Every get (final reads included) that returned a value with its mod revision. */
function readPins(operations: Operation[]): ReadPin[] {
  return operations.flatMap((op) => {
    if (op.f !== "get" || op.type !== "ok" || op.key === undefined) return [];
    const result = op.complete?.value as { value?: unknown; modRevision?: unknown } | null | undefined;
    if (!result || typeof result.value !== "string" || typeof result.modRevision !== "number") return [];
    return [{ key: op.key, value: result.value, revision: result.modRevision, readAt: op.complete!.time }];
  });
}

/**
 * The lowest revision any response of the history reports: the store had reached it when that response
 * was made, so every revision above it was made while the history ran, by one of its writes (the
 * harness records every write it makes, a fault's included). Revisions at or below it are not judged.
 */
function historyFloor(operations: Operation[]): number {
  let floor = Infinity;
  for (const op of operations) if (op.complete?.revision !== undefined) floor = Math.min(floor, op.complete.revision);
  return floor;
}

function sessionsOf(ops: Operation[]): Session[] {
  const positions = new Map<string, number>();
  return ops.map((op) => {
    const start = (op.invoke.value ?? {}) as Partial<WatchSessionStart>;
    const watcher = start.watcher !== undefined ? `watcher ${start.watcher}` : `process ${op.process}`;
    const position = positions.get(watcher) ?? 0;
    positions.set(watcher, position + 1);
    if (typeof start.fromRevision !== "number") {
      throw new Error(`history line ${op.invoke.index}: watch invocation without a numeric fromRevision (got ${JSON.stringify(op.invoke.value)})`);
    }
    const record = op.complete && op.type !== "info" ? (op.complete.value as WatchSessionRecord | undefined) : undefined;
    const events = op.type === "ok" ? (record?.events ?? []) : [];
    const session: Session = { op, watcher, position, from: start.fromRevision, events, endTime: op.complete?.time ?? Infinity };
    if (record) session.record = record;
    if (record?.responses) session.responseOf = responseNumbers(record.responses, events.length, op.complete!);
    const bounds = [
      ...events.filter((event) => event.modRevision >= session.from).map((event) => event.modRevision),
      ...(record?.responses ?? []).filter((response) => response.eventCount === 0 && response.revision >= session.from).map((response) => response.revision),
    ];
    if (bounds.length > 0) session.spanEnd = Math.max(...bounds);
    return session;
  });
}

function responseNumbers(responses: NonNullable<WatchSessionRecord["responses"]>, events: number, entry: HistoryEntry): number[] {
  const numbers = responses.flatMap((response, index) => Array.from({ length: response.eventCount }, () => index));
  if (numbers.length !== events) {
    throw new Error(`history line ${entry.index}: the responses count ${numbers.length} events but the session has ${events}`);
  }
  return numbers;
}

/**
 * For each response of a session, the highest progress notification (a response with no events) among
 * the responses before it, if any: etcd promises that by then every event up to its revision was sent.
 */
function progressBounds(session: Session): Array<{ revision: number; response: number } | undefined> {
  const responses = session.record?.responses ?? [];
  const bounds: Array<{ revision: number; response: number } | undefined> = [];
  let highest: { revision: number; response: number } | undefined;
  responses.forEach((response, index) => {
    bounds.push(highest);
    if (response.eventCount === 0 && (!highest || response.revision > highest.revision)) highest = { revision: response.revision, response: index };
  });
  return bounds;
}

/** The revision after the session's last event (its start revision when it received none). */
function afterEvents(session: Session): number {
  const last = session.events.at(-1);
  return last ? last.modRevision + 1 : session.from;
}

/** The revision the session after this one must start from. */
function resumeRevision(session: Session): number {
  return session.record?.compactRevision ?? afterEvents(session);
}

/** The entries of a list sorted by revision whose revision lies in [from, to]. */
function between<T extends { revision: number }>(sorted: T[], from: number, to: number): T[] {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]!.revision < from) low = middle + 1;
    else high = middle;
  }
  const found: T[] = [];
  for (let index = low; index < sorted.length && sorted[index]!.revision <= to; index++) found.push(sorted[index]!);
  return found;
}

function resumeReason(session: Session): string {
  if (session.record?.compactRevision !== undefined) return `was cancelled by a compaction at revision ${session.record.compactRevision}`;
  const last = session.events.at(-1);
  return last ? `ended with an event of revision ${last.modRevision}` : `received nothing from revision ${session.from}`;
}

function writeOf(op: Operation): Write {
  const acknowledged = op.type === "ok";
  const revision = acknowledged ? op.complete?.revision : undefined;
  const base = { op, acknowledged, ...(revision !== undefined ? { revision } : {}) };
  if (op.f === "put") return { ...base, alternatives: [[{ type: "put", key: op.key!, value: String(op.invoke.value), optional: false }]] };
  if (op.f === "delete") {
    const deleted = acknowledged ? deletedCount(op.complete?.value) : undefined;
    if (deleted === 0) return { ...base, alternatives: [[]] };
    return { ...base, alternatives: [[{ type: "delete", key: op.key!, optional: deleted === undefined }]] };
  }
  const spec = op.invoke.value as TxnSpec;
  const outcome = (acknowledged ? op.complete?.value : undefined) as { succeeded?: boolean; results?: unknown[] } | undefined;
  const branchEffects = (branch: TxnSpec["success"], results?: unknown[]): Effect[] =>
    branch.flatMap((request, index): Effect[] => {
      if (request.f === "put") return [{ type: "put", key: request.key, value: request.value, optional: false }];
      if (request.f !== "delete") return [];
      const deleted = deletedCount(results?.[index]);
      return deleted === 0 ? [] : [{ type: "delete", key: request.key, optional: deleted === undefined }];
    });
  if (outcome?.succeeded !== undefined) return { ...base, alternatives: [branchEffects(outcome.succeeded ? spec.success : spec.failure, outcome.results)] };
  const branches = spec.compare.length === 0 ? [spec.success] : [spec.success, spec.failure];
  // Without a known branch, even an ok txn's revision cannot be tied to its effects.
  return { op, acknowledged: false, alternatives: branches.map((branch) => branchEffects(branch)) };
}

function deletedCount(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (value && typeof value === "object" && typeof (value as { deleted?: unknown }).deleted === "number") return (value as { deleted: number }).deleted;
  return undefined;
}

function producesRevision(write: Write): boolean {
  return write.alternatives[0]!.some((effect) => effect.type === "put" || !effect.optional);
}

function matches(effect: Effect, event: WatchEvent): boolean {
  return effect.type === event.type && effect.key === event.key && (effect.type === "delete" || effect.value === event.value);
}

function sameEvent(a: WatchEvent, b: WatchEvent): boolean {
  return a.type === b.type && a.key === b.key && a.value === b.value && a.createRevision === b.createRevision && a.version === b.version;
}

function describeEvent(event: WatchEvent): string {
  const extra = event.type === "put" && event.version !== undefined ? ` (version ${event.version}, created at ${event.createRevision})` : "";
  return event.type === "put" ? `put ${event.key}=${event.value}${extra}` : `delete ${event.key}`;
}

function describeWrite(write: Write): string {
  const op = write.op;
  const what =
    op.f === "txn"
      ? `txn [${write.alternatives.map((effects) => effects.map((effect) => (effect.type === "put" ? `put ${effect.key}=${effect.value}` : `delete ${effect.key}`)).join(", ")).join(" | ")}]`
      : op.f === "put"
        ? `put ${op.key}=${String(op.invoke.value)}`
        : `delete ${op.key}`;
  return `${what} by process ${op.process} (${op.type}, history line ${op.invoke.index})`;
}

function summary(write: Write): WriteSummary {
  const op = write.op;
  return {
    process: op.process,
    f: op.f,
    type: op.type,
    index: op.invoke.index,
    ...(op.key !== undefined ? { key: op.key } : {}),
    value: op.invoke.value,
    ...(write.revision !== undefined ? { revision: write.revision } : {}),
  };
}
