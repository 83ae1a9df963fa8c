// The watch checker on hand-made histories: a valid one, and one breaking each guarantee with the evidence named.
import { describe, expect, it } from "vitest";
import { runCheckers } from "../../../checkers/checker.ts";
import { type RecordedRun } from "../../../record/run.ts";
import { watchChecker, type WatchViolation } from "../../../checkers/watch.ts";
import type { HistoryEntry } from "../../../record/history/entry.ts";
import type { WatchEvent } from "../../../record/values/watch.ts";
import { recordedRun, s } from "./fixtures.ts";

interface Row {
  process: number;
  f: string;
  key?: string;
  node?: string;
  invoke?: unknown;
  type: "ok" | "fail" | "info";
  value?: unknown;
  revision?: number;
  at: [number, number];
}

function history(rows: Row[]): HistoryEntry[] {
  const entries = rows.flatMap((row) => {
    const base = { process: row.process, f: row.f, ...(row.key ? { key: row.key } : {}), node: row.node ?? "n1" };
    return [
      { index: 0, time: s(row.at[0]), type: "invoke" as const, ...base, ...(row.invoke !== undefined ? { value: row.invoke } : {}) },
      { index: 0, time: s(row.at[1]), type: row.type, ...base, ...(row.value !== undefined ? { value: row.value } : {}), ...(row.revision !== undefined ? { revision: row.revision } : {}) },
    ];
  });
  return entries.sort((a, b) => a.time - b.time).map((entry, index) => ({ ...entry, index }));
}

const put = (process: number, key: string, value: string, revision: number | undefined, at: [number, number], type: Row["type"] = "ok"): Row => ({
  process,
  f: "put",
  key,
  invoke: value,
  type,
  ...(type === "ok" ? { value, revision } : {}),
  at,
});
const del = (process: number, key: string, revision: number, at: [number, number]): Row => ({ process, f: "delete", key, invoke: null, type: "ok", value: { deleted: 1 }, revision, at });
const txn = (process: number, puts: Array<[string, string]>, revision: number | undefined, at: [number, number], type: Row["type"] = "ok"): Row => ({
  process,
  f: "txn",
  invoke: { compare: [], success: puts.map(([key, value]) => ({ f: "put", key, value })), failure: [] },
  type,
  ...(type === "ok" ? { value: { succeeded: true, results: puts.map(() => null) }, revision } : {}),
  at,
});

const p = (key: string, value: string, modRevision: number): WatchEvent => ({ type: "put", key, value, modRevision });
const d = (key: string, modRevision: number): WatchEvent => ({ type: "delete", key, modRevision });

/** A session: each inner list is one response; an empty one is a progress notification at `progress`. */
function session(
  process: number,
  watcher: number | undefined,
  node: string,
  from: number,
  responses: WatchEvent[][],
  at: [number, number],
  extra: { compactRevision?: number; progress?: number; noResponses?: boolean } = {},
): Row {
  const events = responses.flat();
  const next = extra.compactRevision ?? (events.length > 0 ? events.at(-1)!.modRevision + 1 : from);
  return {
    process,
    f: "watch",
    key: "w/",
    node,
    invoke: { fromRevision: from, ...(watcher !== undefined ? { watcher } : {}) },
    type: "ok",
    value: {
      fromRevision: from,
      nextRevision: next,
      headerRevision: Math.max(0, ...events.map((event) => event.modRevision)),
      events,
      ...(extra.noResponses
        ? {}
        : { responses: responses.map((response) => ({ revision: response.length > 0 ? response.at(-1)!.modRevision : (extra.progress ?? 0), eventCount: response.length })) }),
      ...(extra.compactRevision !== undefined ? { compactRevision: extra.compactRevision } : {}),
    },
    at,
  };
}

/** Writes at revisions 2-7 (7 outside the watched prefix); watcher 0 resumes once, watcher 1 watches in one session. */
const writes: Row[] = [
  put(1, "w/a", "1", 2, [1, 1.1]),
  put(2, "w/b", "2", 3, [1.2, 1.3]),
  txn(1, [["w/a", "3"], ["w/b", "4"]], 4, [1.4, 1.5]),
  del(2, "w/a", 5, [1.6, 1.7]),
  put(1, "w/c", "5", 6, [1.8, 1.9]),
  put(3, "other/x", "9", 7, [2, 2.1]),
];
const r2 = p("w/a", "1", 2);
const r3 = p("w/b", "2", 3);
const r4 = [p("w/a", "3", 4), p("w/b", "4", 4)];
const r5 = d("w/a", 5);
const r6 = p("w/c", "5", 6);
const watcher1 = session(11, 1, "n2", 1, [[r2], [r3], r4, [r5], [r6]], [0.5, 3]);

function check(rows: Row[]) {
  const run: RecordedRun = recordedRun({ faults: [], history: history(rows) });
  return watchChecker.check(run);
}

const violations = (result: ReturnType<typeof check>): WatchViolation[] => result["violations"] as WatchViolation[];

describe("watch checker", () => {
  it("passes a history where every watcher gets every write once, in order, a txn in one response, across a resume", () => {
    const result = check([...writes, session(10, 0, "n1", 1, [[r2], [r3], r4], [0.5, 1.55]), session(10, 0, "n1", 5, [[r5], [r6]], [1.56, 3]), watcher1]);
    expect(result.verdict, result.summary).toBe("valid");
    expect(result["watchers"]).toMatchObject([
      { watcher: "watcher 0", members: ["n1"], sessions: 2, events: 6, judged: 6, judgedThrough: 6, notJudgedAfter: 0 },
      { watcher: "watcher 1", members: ["n2"], sessions: 1, events: 6, judged: 6 },
    ]);
    expect(result["atomicity"]).toBe("per response and per revision");
  });

  it("finds events out of revision order and names the watcher, process, member, session and revision", () => {
    const result = check([...writes, session(10, 0, "n1", 1, [[r3], [r2], r4, [r5], [r6]], [0.5, 3]), watcher1]);
    expect(result.verdict).toBe("invalid");
    expect(result["guarantees"]).toMatchObject({ ordered: 1, unique: 0, reliable: 0, atomic: 0, resumable: 0, values: 0 });
    expect(violations(result)[0]).toMatchObject({ guarantee: "ordered", watcher: "watcher 0", process: 10, member: "n1", session: 0, revision: 2, key: "w/a" });
    expect(result.summary).toContain("ordered: watcher 0 (process 10 on n1, session 0) event of revision 2 arrived after one of revision 3");
  });

  it("finds an event delivered twice to one watcher, even across sessions", () => {
    const result = check([...writes, session(10, 0, "n1", 1, [[r2], [r3], [r3], r4], [0.5, 1.55]), session(10, 0, "n1", 5, [[r5], [r6]], [1.56, 3]), watcher1]);
    expect(result.verdict).toBe("invalid");
    expect(result["guarantees"]).toMatchObject({ unique: 1, ordered: 0 });
    expect(violations(result)[0]).toMatchObject({ guarantee: "unique", watcher: "watcher 0", revision: 3, key: "w/b" });
  });

  it("finds a write missing between two events, naming the write", () => {
    const result = check([...writes, session(10, 0, "n1", 1, [[r2], r4, [r5], [r6]], [0.5, 3]), watcher1]);
    expect(result.verdict).toBe("invalid");
    expect(result["guarantees"]).toMatchObject({ reliable: 1 });
    expect(violations(result)[0]).toMatchObject({ guarantee: "reliable", watcher: "watcher 0", revision: 3, key: "w/b", write: { process: 2, f: "put", key: "w/b", value: "2", revision: 3 } });
  });

  it("finds an event that arrives after a progress notification at or past its revision, as etcd 3.5.7 sent them (etcd issue 15220)", () => {
    // Response 1 is a progress notification at revision 3; revision 3's event comes in response 2.
    const result = check([...writes, session(10, 0, "n1", 1, [[r2], [], [r3], r4, [r5], [r6]], [0.5, 3], { progress: 3 }), watcher1]);
    expect(result.verdict).toBe("invalid");
    expect(result["guarantees"]).toMatchObject({ progress: 1, ordered: 0, unique: 0, reliable: 0 });
    expect(violations(result)[0]).toMatchObject({ guarantee: "progress", watcher: "watcher 0", revision: 3, key: "w/b" });
    expect(violations(result)[0]!.detail).toBe("session 0 got a progress notification at revision 3 (response 1), then an event of revision 3 (response 2): the notification ran ahead of the events");
    // The same notification after revision 3's event promises nothing broken.
    expect(check([...writes, session(10, 0, "n1", 1, [[r2], [r3], [], r4, [r5], [r6]], [0.5, 3], { progress: 3 }), watcher1]).verdict).toBe("valid");
  });

  it("finds an event older than the revision a one-shot watch was opened at (a watch on a future revision, etcd issue 20221)", () => {
    const result = check([...writes, session(12, 40, "n1", 5, [[r3], [r5], [r6]], [0.5, 3]), watcher1]);
    expect(result.verdict).toBe("invalid");
    expect(violations(result)[0]).toMatchObject({ guarantee: "resumable", watcher: "watcher 40", revision: 3 });
    expect(violations(result)[0]!.detail).toBe("session 0 started from revision 5 but received an event of revision 3");
  });

  it("judges the span up to a progress notification, and not writes after a watcher's last event", () => {
    const bookmarked = check([...writes, session(10, 0, "n1", 1, [[r2], []], [0.5, 3], { progress: 4 }), watcher1]);
    expect(bookmarked.verdict).toBe("invalid");
    expect(violations(bookmarked).map((violation) => [violation.guarantee, violation.revision])).toEqual([["reliable", 3], ["reliable", 4], ["reliable", 4]]);
    const stopped = check([...writes, session(10, 0, "n1", 1, [[r2], [r3]], [0.5, 3]), watcher1]);
    expect(stopped.verdict).toBe("valid");
    expect(stopped["watchers"]).toMatchObject([{ watcher: "watcher 0", judged: 2, judgedThrough: 3, notJudgedAfter: 4 }, { watcher: "watcher 1" }]);
  });

  it("finds a revision split over two responses, and a revision delivered in part", () => {
    const split = check([...writes, session(10, 0, "n1", 1, [[r2], [r3], [r4[0]!], [r4[1]!], [r5], [r6]], [0.5, 3]), watcher1]);
    expect(split.verdict).toBe("invalid");
    expect(violations(split)).toMatchObject([{ guarantee: "atomic", revision: 4, key: "w/b", detail: "the events of revision 4 were split over responses 2 and 3 of session 0" }]);
    const part = check([...writes, session(10, 0, "n1", 1, [[r2], [r3], [r4[0]!], [r5], [r6]], [0.5, 3]), watcher1]);
    expect(part.verdict).toBe("invalid");
    expect(violations(part)).toMatchObject([{ guarantee: "atomic", revision: 4, key: "w/b", write: { process: 1, f: "txn", revision: 4 } }]);
  });

  it("without recorded responses judges atomicity per revision only", () => {
    const result = check([...writes, session(10, 0, "n1", 1, [[r2], [r3], [r4[0]!], [r4[1]!], [r5], [r6]], [0.5, 3], { noResponses: true }), watcher1]);
    expect(result.verdict).toBe("valid");
    expect(result["atomicity"]).toBe("per response and per revision");
    const old = check([...writes, session(10, undefined, "n1", 1, [[r2, r3], r4], [0.5, 3], { noResponses: true })]);
    expect(old.verdict).toBe("valid");
    expect(old["atomicity"]).toBe("per revision (no responses recorded)");
    expect(old["watchers"]).toMatchObject([{ watcher: "process 10" }]);
  });

  it("finds a resume from the wrong revision, a resume that skips a write, and an event from before the start", () => {
    const wrongFrom = check([...writes, session(10, 0, "n1", 1, [[r2], [r3], r4], [0.5, 1.55]), session(10, 0, "n1", 6, [[r6]], [1.56, 3]), watcher1]);
    expect(wrongFrom.verdict).toBe("invalid");
    expect(violations(wrongFrom)).toMatchObject([
      { guarantee: "resumable", session: 1, revision: 6, detail: "session 1 resumed from revision 6, but the previous session ended with an event of revision 4, so it should have resumed from 5" },
    ]);
    const skipped = check([...writes, session(10, 0, "n1", 1, [[r2], [r3], r4], [0.5, 1.55]), session(10, 0, "n1", 5, [[r6]], [1.56, 3]), watcher1]);
    expect(skipped.verdict).toBe("invalid");
    expect(violations(skipped)).toMatchObject([{ guarantee: "resumable", session: 1, revision: 5, key: "w/a", write: { process: 2, f: "delete" } }]);
    const early = check([...writes, session(10, 0, "n1", 1, [[r2], [r3]], [0.5, 1.55]), session(10, 0, "n1", 4, [[r3], r4, [r5], [r6]], [1.56, 3]), watcher1]);
    expect(early.verdict).toBe("invalid");
    expect(violations(early)).toMatchObject([{ guarantee: "resumable", session: 1, revision: 3, detail: "session 1 started from revision 4 but received an event of revision 3" }]);
  });

  it("lets a compaction skip revisions: the next session starts at the compact revision, the skipped writes are counted", () => {
    const result = check([...writes, session(10, 0, "n1", 1, [[r2], [r3]], [0.5, 1.55], { compactRevision: 5 }), session(10, 0, "n1", 5, [[r5], [r6]], [1.56, 3]), watcher1]);
    expect(result.verdict, result.summary).toBe("valid");
    expect(result["watchers"]).toMatchObject([{ watcher: "watcher 0", compacted: [{ from: 4, to: 4, writes: 2 }], judged: 4 }, { watcher: "watcher 1" }]);
  });

  it("finds a put event whose value is not the one written at its revision, and a delete of the wrong key", () => {
    const wrongValue = check([...writes, session(10, 0, "n1", 1, [[r2], [p("w/b", "X", 3)], r4, [r5], [r6]], [0.5, 3]), watcher1]);
    expect(wrongValue.verdict).toBe("invalid");
    expect(violations(wrongValue)).toMatchObject([
      { guarantee: "values", watcher: "watcher 0", revision: 3, key: "w/b", write: { process: 2, value: "2" }, detail: "put w/b=X at revision 3, but revision 3 was put w/b=2 by process 2 (ok, history line 4)" },
    ]);
    const wrongDelete = check([...writes, session(10, 0, "n1", 1, [[r2], [r3], r4, [d("w/b", 5)], [r6]], [0.5, 3]), watcher1]);
    expect(wrongDelete.verdict).toBe("invalid");
    expect(result(wrongDelete)).toEqual(expect.arrayContaining([["values", 5], ["reliable", 5]]));
  });

  it("lets an event reveal an uncertain write, and rejects an event no write explains or a failed write shows", () => {
    const uncertain = put(4, "w/z", "77", undefined, [2.2, 2.3], "info");
    const r8 = p("w/z", "77", 8);
    const revealed = check([...writes, uncertain, session(10, 0, "n1", 1, [[r2], [r3], r4, [r5], [r6], [r8]], [0.5, 3])]);
    expect(revealed.verdict, revealed.summary).toBe("valid");
    expect(revealed["writes"]).toEqual({ acknowledged: 6, uncertain: 1, revealed: 1 });
    const unexplained = check([...writes, session(10, 0, "n1", 1, [[r2], [r3], r4, [r5], [r6], [r8]], [0.5, 3])]);
    expect(violations(unexplained)).toMatchObject([{ guarantee: "values", revision: 8, key: "w/z", detail: "put w/z=77 at revision 8 matches no write in the history" }]);
    const failed = check([...writes, put(4, "w/z", "77", undefined, [2.2, 2.3], "fail"), session(10, 0, "n1", 1, [[r2], [r3], r4, [r5], [r6], [r8]], [0.5, 3])]);
    expect(violations(failed)).toMatchObject([{ guarantee: "values", revision: 8, write: { process: 4, type: "fail" } }]);
    const tooLate = check([...writes, put(4, "w/z", "77", undefined, [3.5, 3.6], "info"), session(10, 0, "n1", 1, [[r2], [r3], r4, [r5], [r6], [r8]], [0.5, 3])]);
    expect(tooLate.verdict).toBe("invalid");
  });

  it("expects every put of a revealed uncertain txn at its revision, and watchers to agree on what a revision did", () => {
    const uncertainTxn = txn(4, [["w/d", "8"], ["w/e", "9"]], undefined, [2.2, 2.3], "info");
    const both = [p("w/d", "8", 8), p("w/e", "9", 8)];
    expect(check([...writes, uncertainTxn, session(10, 0, "n1", 1, [[r2], [r3], r4, [r5], [r6], both], [0.5, 3])]).verdict).toBe("valid");
    const part = check([...writes, uncertainTxn, session(10, 0, "n1", 1, [[r2], [r3], r4, [r5], [r6], [both[0]!]], [0.5, 3])]);
    expect(violations(part)).toMatchObject([{ guarantee: "atomic", revision: 8, key: "w/e" }]);
    const disagree = check([
      ...writes,
      put(4, "w/z", "77", undefined, [2.2, 2.3], "info"),
      session(10, 0, "n1", 1, [[r2], [r3], r4, [r5], [r6], [p("w/z", "77", 8)]], [0.5, 3]),
      session(11, 1, "n2", 1, [[r2], [r3], r4, [r5], [r6], [{ ...p("w/z", "77", 8), version: 2 }]], [0.5, 3]),
    ]);
    expect(violations(disagree)).toMatchObject([{ guarantee: "values", watcher: "watcher 1", revision: 8, detail: expect.stringContaining("watcher 0 got put w/z=77") }]);
  });

  it("is unknown without watch sessions or when no write fell in a judged span, and unknown (not valid) on a malformed session", () => {
    expect(check(writes).verdict).toBe("unknown");
    expect(check([...writes, session(10, 0, "n1", 1, [], [0.5, 3])]).verdict).toBe("unknown");
    const malformed = recordedRun({ faults: [], history: history([{ process: 10, f: "watch", key: "w/", invoke: { from: 1 }, type: "ok", value: {}, at: [0.5, 3] }]) });
    const results = runCheckers([watchChecker], malformed);
    expect(results["watch"]).toMatchObject({ verdict: "unknown", summary: expect.stringContaining("without a numeric fromRevision") });
  });
});

describe("watch checker and writes with an unknown outcome", () => {
  const get = (process: number, key: string, value: string, modRevision: number, at: [number, number]): Row => ({
    process,
    f: "get",
    key,
    invoke: null,
    type: "ok",
    value: { value, modRevision, createRevision: modRevision, version: 1 },
    revision: 4,
    at,
  });
  // A watcher from revision 1 on w/; put w/a acknowledged at 2; put w/b=2 uncertain (deadline exceeded); put w/c acknowledged at 4.
  const uncertain = [put(1, "w/a", "1", 2, [1, 1.1]), put(2, "w/b", "2", undefined, [1.2, 1.3], "info"), put(3, "w/c", "3", 4, [1.4, 1.5])];
  const watcher = (responses: WatchEvent[][]) => session(10, 0, "n1", 1, responses, [0.5, 3]);

  it("is invalid when a read pins the uncertain write at a revision the watcher never got", () => {
    const checked = check([...uncertain, get(4, "w/b", "2", 3, [2, 2.1]), watcher([[p("w/a", "1", 2)], [p("w/c", "3", 4)]])]);
    expect(checked.verdict).toBe("invalid");
    expect(result(checked)).toEqual([["reliable", 3]]);
    expect(violations(checked)[0]!.detail).toMatch(/watcher 0 missed the put of w\/b at revision 3 \(put w\/b=2 by process 2 \(info/);
  });

  it("is valid when the watcher got the uncertain write's event at the pinned revision", () => {
    const checked = check([...uncertain, get(4, "w/b", "2", 3, [2, 2.1]), watcher([[p("w/a", "1", 2)], [p("w/b", "2", 3)], [p("w/c", "3", 4)]])]);
    expect(checked.verdict, checked.summary).toBe("valid");
  });

  it("owes an event for a revision no acknowledged write holds when every uncertain write changes only watched keys, pinned or not", () => {
    const checked = check([...uncertain, watcher([[p("w/a", "1", 2)], [p("w/c", "3", 4)]])]);
    expect(result(checked)).toEqual([["reliable", 3]]);
    expect(violations(checked)[0]!.detail).toMatch(/received nothing of revision 3 although it received revision 4: no acknowledged write holds revision 3/);
  });

  it("owes nothing for an uncertain write that never happened: a later acknowledged write holds the next revision", () => {
    const never = [put(1, "w/a", "1", 2, [1, 1.1]), put(2, "w/b", "2", undefined, [1.2, 1.3], "info"), put(3, "w/c", "3", 3, [1.4, 1.5])];
    const checked = check([...never, watcher([[p("w/a", "1", 2)], [p("w/c", "3", 3)]])]);
    expect(checked.verdict, checked.summary).toBe("valid");
  });

  it("judges no gap an uncertain write outside the watched keys could have made", () => {
    const outside = [...uncertain.slice(0, 1), put(2, "other/b", "2", undefined, [1.2, 1.3], "info"), uncertain[2]!];
    const checked = check([...outside, watcher([[p("w/a", "1", 2)], [p("w/c", "3", 4)]])]);
    expect(checked.verdict, checked.summary).toBe("valid");
  });
});

function result(checked: ReturnType<typeof check>): Array<[string, number]> {
  return violations(checked).map((violation) => [violation.guarantee, violation.revision]);
}
