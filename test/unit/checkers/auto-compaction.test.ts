// The auto-compaction checker on hand-made watch histories: resumes behind a compaction told so, none at all, and each way of getting it wrong.
import { describe, expect, it } from "vitest";
import { type AutoCompactionViolation, type Cadence, type CompactedAnswer, type MemberAnswers, autoCompactionChecker } from "../../../checkers/auto-compaction.ts";
import { runCheckers } from "../../../checkers/checker.ts";
import { buildChecker } from "../../../checkers/registry.ts";
import type { StatusSample } from "../../../record/status.ts";
import { baseSettings } from "../../../scenarios/scenario.ts";
import type { WatchEvent, WatchSessionRecord } from "../../../record/values/watch.ts";
import { historyOf, recordedRun, s, type OpRow } from "./fixtures.ts";

/** Revisions 2-21: one put of w/<r mod 3> each, revision r acknowledged at 1 + (r - 2) / 10 seconds. */
const lastRevision = 21;
const revisions = Array.from({ length: lastRevision - 1 }, (_, index) => index + 2);
const writtenAt = (revision: number): number => 1 + (revision - 2) / 10;
const keyOf = (revision: number): string => `w/${revision % 3}`;
const writes: OpRow[] = revisions.map((revision) => ({ process: 100 + (revision % 2), f: "put", key: keyOf(revision), node: "n2", invoke: writtenAt(revision) - 0.05, complete: writtenAt(revision), type: "ok", value: `v${revision}`, revision }));
const eventsOf = (from: number, through: number): WatchEvent[] => revisions.filter((revision) => revision >= from && revision <= through).map((revision) => ({ type: "put", key: keyOf(revision), value: `v${revision}`, modRevision: revision }));

interface SessionRow {
  process: number;
  watcher: number;
  node: string;
  from: number;
  /** Receives every write from `from` through this revision, one response each. */
  through?: number;
  at: [number, number];
  /** etcd's compacted answer: refused at creation (fail) unless events came first or `created` says so. */
  compactRevision?: number;
  created?: boolean;
}

function session(row: SessionRow): OpRow {
  const events = row.through !== undefined ? eventsOf(row.from, row.through) : [];
  const base = { process: row.process, f: "watch", key: "w/", node: row.node, invoke: row.at[0], complete: row.at[1], value: { fromRevision: row.from, watcher: row.watcher } };
  if (row.compactRevision !== undefined && events.length === 0 && !row.created) return { ...base, type: "fail", result: { fromRevision: row.from, compactRevision: row.compactRevision } };
  const next = row.compactRevision ?? (events.length > 0 ? events.at(-1)!.modRevision + 1 : row.from);
  const record: WatchSessionRecord = {
    fromRevision: row.from,
    nextRevision: next,
    headerRevision: Math.max(0, ...events.map((event) => event.modRevision)),
    events,
    responses: events.map((event) => ({ revision: event.modRevision, eventCount: 1 })),
    ...(row.compactRevision !== undefined ? { compactRevision: row.compactRevision, interrupted: `Watcher canceled: required revision ${row.from} has been compacted` } : {}),
  };
  return { ...base, type: "ok", result: record };
}

/** Each member's revision every half second, as the status sampler records it. */
const statuses: StatusSample[] = ["n1", "n2", "n3"].flatMap((member) =>
  Array.from({ length: 9 }, (_, index) => {
    const time = 0.5 + index * 0.5;
    return { time: s(time), member, revision: Math.max(1, ...revisions.filter((revision) => writtenAt(revision) <= time)) };
  }),
);

/**
 * Watcher 0 on n1 is refused at creation from 9 (compacted to 12); watcher 1 on n2 is cancelled after
 * creation from 11 (compacted to 15); watcher 2 on n3 watches through without a break.
 */
const behind: OpRow[] = [
  session({ process: 10, watcher: 0, node: "n1", from: 1, through: 8, at: [0.5, 1.75] }),
  session({ process: 10, watcher: 0, node: "n1", from: 9, at: [2.0, 2.05], compactRevision: 12 }),
  session({ process: 10, watcher: 0, node: "n1", from: 12, through: 21, at: [2.06, 4] }),
  session({ process: 11, watcher: 1, node: "n2", from: 1, through: 10, at: [0.5, 1.95] }),
  session({ process: 11, watcher: 1, node: "n2", from: 11, at: [2.5, 2.55], compactRevision: 15, created: true }),
  session({ process: 11, watcher: 1, node: "n2", from: 15, through: 21, at: [2.56, 4] }),
  session({ process: 12, watcher: 2, node: "n3", from: 1, through: 21, at: [0.5, 4] }),
];

const check = (sessions: OpRow[], mode?: "periodic" | "revision") =>
  autoCompactionChecker(mode ? { mode } : {}).check(recordedRun({ faults: [], statuses, history: historyOf([...writes, ...sessions]) }));
const violations = (result: ReturnType<typeof check>): AutoCompactionViolation[] => result["violations"] as AutoCompactionViolation[];

describe("auto-compaction checker", () => {
  it("passes resumes behind a compaction that got the compacted answer, counting them per member, with the compactions and their cadence", () => {
    const result = check(behind, "periodic");
    expect(result.verdict, result.summary).toBe("valid");
    expect(result["members"] as MemberAnswers[]).toEqual([
      { member: "n1", resumed: 1, answers: 1, compactRevisions: [12] },
      { member: "n2", resumed: 1, answers: 1, compactRevisions: [15] },
    ]);
    expect(result["answers"] as CompactedAnswer[]).toMatchObject([
      { watcher: "watcher 0", member: "n1", session: 1, fromRevision: 9, compactRevision: 12, events: 0, atCreation: true },
      { watcher: "watcher 1", member: "n2", session: 1, fromRevision: 11, compactRevision: 15, events: 0, atCreation: false },
    ]);
    expect(result["compactRevisions"]).toEqual([12, 15]);
    expect(result["compactions"]).toBe(2);
    // Revision 12 was written at 2.0 s and 15 at 2.3 s: the samples every half second see them at 2.0 s and 2.5 s.
    const cadence = result["cadence"] as Cadence;
    expect(cadence.reached).toEqual([
      { compactRevision: 12, atS: 2 },
      { compactRevision: 15, atS: 2.5 },
    ]);
    expect(cadence.secondsBetween).toEqual([0.5]);
    // Watcher 0 lost revisions 9-11 and watcher 1 revisions 11-14 to the compactions.
    expect(result["skipped"]).toEqual({ spans: 2, revisions: 7, writes: 7 });
    expect(result["gaps"]).toEqual({ resumable: 0, reliable: 0 });
    expect(result.summary).toBe(
      "2 resumes behind a compaction got the compacted answer (n1 1, n2 1); none got events below a compact revision its member had shown; 7 writes compacted away unseen, no other gap; 7 sessions; 2 compactions seen, at revisions 12, 15; observed compact revisions reached 0.5s apart (median of 1)",
    );
  });

  it("bounds the revisions revision mode kept by the store's revision right after a compaction was first seen", () => {
    const result = check(behind, "revision");
    expect(result.verdict).toBe("valid");
    // The answer naming 12 came at 2.05 s, the one naming 15 at 2.55 s; the next samples show revisions 17 and 21.
    expect((result["cadence"] as Cadence).keptAtMost).toEqual([
      { compactRevision: 12, revisions: 5 },
      { compactRevision: 15, revisions: 6 },
    ]);
    expect(result.summary).toMatch(/; at most 5 revisions kept$/);
  });

  it("is unknown when no watcher resumed behind a compaction, saying the rehearsal did not exercise it", () => {
    const resumedInTime = [
      session({ process: 10, watcher: 0, node: "n1", from: 1, through: 8, at: [0.5, 1.75] }),
      session({ process: 10, watcher: 0, node: "n1", from: 9, through: 21, at: [2.0, 4] }),
      session({ process: 12, watcher: 2, node: "n3", from: 1, through: 21, at: [0.5, 4] }),
    ];
    const result = check(resumedInTime);
    expect(result.verdict).toBe("unknown");
    expect(result.summary).toMatch(/^no watcher resumed behind a compaction, so the rehearsal did not exercise what it is for .*; 3 sessions; no compaction seen$/);
    // A first session refused for a compacted revision is an answer, but no resume.
    const firstOnly = check([session({ process: 10, watcher: 0, node: "n1", from: 1, at: [2.0, 2.05], compactRevision: 12 }), session({ process: 10, watcher: 0, node: "n1", from: 12, through: 21, at: [2.06, 4] })]);
    expect(firstOnly.verdict).toBe("unknown");
    expect(firstOnly["members"]).toEqual([{ member: "n1", resumed: 0, answers: 1, compactRevisions: [12] }]);
    expect(autoCompactionChecker().check(recordedRun({ faults: [], history: historyOf(writes) })).verdict).toBe("unknown");
  });

  it("finds a watcher that resumed below its member's compact revision and got events instead of the compacted answer", () => {
    // n1 told watcher 0 at 2.05 s that it had compacted to 12; watcher 3 resumes from 5 on n1 at 2.5 s and gets 5-21.
    const result = check([
      ...behind,
      session({ process: 13, watcher: 3, node: "n1", from: 1, through: 4, at: [0.5, 1.35] }),
      session({ process: 13, watcher: 3, node: "n1", from: 5, through: 21, at: [2.5, 4] }),
    ]);
    expect(result.verdict).toBe("invalid");
    expect(violations(result)).toEqual([
      {
        kind: "events-behind-compaction",
        watcher: "watcher 3",
        process: 13,
        member: "n1",
        index: expect.any(Number),
        revision: 5,
        detail: expect.stringMatching(/^resumed from revision 5, but n1 had shown compact revision 12 before \(an answer, history line \d+\), and got 17 events from revision 5 instead of the compacted answer$/),
      },
    ]);
    expect(result.anomalies).toMatchObject([{ kind: "auto-compaction-events-behind-compaction", members: ["n1"] }]);
    // The same resume before n1 had answered anything is etcd serving a member that had not compacted yet.
    expect(check([...behind, session({ process: 13, watcher: 3, node: "n1", from: 1, through: 4, at: [0.5, 1.35] }), session({ process: 13, watcher: 3, node: "n1", from: 5, through: 21, at: [1.4, 4] })]).verdict).toBe("valid");
  });

  it("counts one-shot watches opened at a member's compaction revision as compactions seen, when the run's one-shots are all of that kind", () => {
    // One-shots on n3 opened at 12 (2.1 s) and at 18 (2.9 s); watcher 3 then resumes on n3 from 5 and gets events.
    const oneShots = [
      session({ process: 20, watcher: 4, node: "n3", from: 12, through: 21, at: [2.1, 2.8] }),
      session({ process: 20, watcher: 5, node: "n3", from: 18, through: 21, at: [2.9, 3.6] }),
    ];
    const resumedBehind = [session({ process: 13, watcher: 3, node: "n3", from: 1, through: 4, at: [0.5, 1.35] }), session({ process: 13, watcher: 3, node: "n3", from: 5, through: 21, at: [3.0, 4] })];
    const run = (rows: OpRow[], watchOneShots?: Array<"future" | "compaction">) =>
      autoCompactionChecker({ mode: "periodic" }).check(recordedRun({ faults: [], statuses, history: historyOf([...writes, ...behind, ...rows]), settings: { ...baseSettings, ...(watchOneShots ? { watchOneShots } : {}) } }));
    const seen = run(oneShots, ["compaction"]);
    expect(seen.verdict, seen.summary).toBe("valid");
    expect(seen["compactRevisions"]).toEqual([12, 15, 18]);
    expect(seen["seenBy"]).toEqual({ answers: 2, oneShots: 2 });
    expect((seen["cadence"] as Cadence).secondsBetween).toEqual([0.5, 0.5]);
    const behindOneShot = run([...oneShots, ...resumedBehind], ["compaction"]);
    expect(behindOneShot.verdict).toBe("invalid");
    expect(violations(behindOneShot)).toMatchObject([{ kind: "events-behind-compaction", watcher: "watcher 3", member: "n3", revision: 5 }]);
    expect(violations(behindOneShot)[0]!.detail).toMatch(/^resumed from revision 5, but n3 had shown compact revision 18 before \(a one-shot watch opened there, history line \d+\)/);
    // With future one-shots too, a first session past revision 1 may be either: none is taken for a compaction.
    const mixed = run([...oneShots, ...resumedBehind], ["compaction", "future"]);
    expect(mixed.verdict).toBe("valid");
    expect(mixed["seenBy"]).toEqual({ answers: 2, oneShots: 0 });
  });

  it("finds compaction answers that do not move forward: at or below the start, or behind one the member gave before", () => {
    const atStart = check([...behind.slice(0, 3), session({ process: 11, watcher: 1, node: "n2", from: 1, through: 10, at: [0.5, 1.95] }), session({ process: 11, watcher: 1, node: "n2", from: 11, at: [2.5, 2.55], compactRevision: 11 }), session({ process: 11, watcher: 1, node: "n2", from: 11, through: 21, at: [2.56, 4] })]);
    expect(atStart.verdict).toBe("invalid");
    expect(violations(atStart)).toMatchObject([{ kind: "compaction-not-forward", watcher: "watcher 1", member: "n2", revision: 11 }]);
    expect(violations(atStart)[0]!.detail).toBe("was told revision 11 is compacted after starting from 11: a compaction that does not pass where it stood");

    // n2 answered 15 at 2.55 s; at 3 s it answers 13 to another watcher.
    const back = check([...behind, session({ process: 14, watcher: 4, node: "n2", from: 1, through: 9, at: [0.5, 1.85] }), session({ process: 14, watcher: 4, node: "n2", from: 10, at: [3.0, 3.05], compactRevision: 13 }), session({ process: 14, watcher: 4, node: "n2", from: 13, through: 21, at: [3.06, 4] })]);
    expect(back.verdict).toBe("invalid");
    // And the session that resumed from 13 as told got events below the 15 n2 had answered.
    expect(violations(back)).toMatchObject([
      { kind: "compaction-not-forward", watcher: "watcher 4", member: "n2", revision: 13 },
      { kind: "events-behind-compaction", watcher: "watcher 4", member: "n2", revision: 13 },
    ]);
    expect(violations(back)[0]!.detail).toMatch(/^was told compact revision 13, but n2 had shown compact revision 15 before \(an answer, history line \d+\): its compaction went back$/);
  });

  it("finds a resume that skipped revisions without a compaction, through the watch checker", () => {
    const skipped = [...behind.slice(0, 6), session({ process: 12, watcher: 2, node: "n3", from: 1, through: 10, at: [0.5, 1.95] }), session({ process: 12, watcher: 2, node: "n3", from: 14, through: 21, at: [2.0, 4] })];
    const result = check(skipped);
    expect(result.verdict).toBe("invalid");
    expect(result["gaps"]).toEqual({ resumable: 1, reliable: 0 });
    expect(violations(result)).toMatchObject([{ kind: "gap", watcher: "watcher 2", member: "n3", revision: 14 }]);
    expect(violations(result)[0]!.detail).toMatch(/^resumable: session 1 resumed from revision 14, but the previous session ended with an event of revision 10/);
  });

  it("is built by the registry with its mode, refuses other options, and an unreadable history is unknown", () => {
    expect(buildChecker({ name: "auto-compaction", options: { mode: "revision" } }).name).toBe("auto-compaction");
    expect(() => buildChecker({ name: "auto-compaction", options: { mode: "hourly" } })).toThrow(/checker auto-compaction: options.mode/);
    const broken = recordedRun({ faults: [], history: historyOf([{ process: 10, f: "watch", key: "w/", node: "n1", invoke: 1, complete: 2, type: "ok", value: { watcher: 0 } }]) });
    const results = runCheckers([autoCompactionChecker()], broken);
    expect(results["auto-compaction"]).toMatchObject({ verdict: "unknown", summary: expect.stringMatching(/^checker failed: history line 0: watch invocation without a numeric fromRevision/) });
  });
});
