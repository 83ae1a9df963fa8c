// A test's own history judged into a report folder: operations on the harness clock, the lock checker's verdict, no replay offered.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Cluster } from "../../../harness/cluster/backend.ts";
import { RunClock } from "../../../harness/history/clock.ts";
import { readHistoryFile } from "../../../record/history/history-file.ts";
import { runResultsSchema } from "../../../record/results.ts";
import { checkersFor, linearizabilityOf } from "../../../testkit/checker-choice.ts";
import { statusTable } from "../../../testkit/endpoint-status.ts";
import { Recording } from "../../../testkit/recording.ts";
import type { HistoryModel } from "../../../checkers/linearizability/model.ts";

/** A user's own datatype: a counter that adds and reads, as an application's test would model it. */
type CounterInput = { f: "add"; by: number } | { f: "read" };
const counterModel = (): HistoryModel<number, CounterInput, number> => ({
  name: "counter",
  init: () => 0,
  step: (count, input, output) => (input.f === "add" ? count + input.by : output === undefined || output === count ? count : undefined),
  equal: (a, b) => a === b,
  hash: (count) => count | 0,
  readOnly: (input) => input.f === "read",
  describeOperation: (input, output) => (input.f === "add" ? `add(${input.by})` : `read() -> ${output}`),
  describeState: (count) => `count ${count}`,
  handles: (f) => f === "add" || f === "read",
  input: (invoke) => (invoke.f === "add" ? { f: "add", by: invoke.value as number } : { f: "read" }),
  // An add's output is only that it happened (an output of undefined would mean "outcome unknown").
  output: (completion, input) => (input.f === "add" ? 0 : (completion.value as number)),
});

/** The least a recording asks of a cluster: its spec and members, and statuses (none answer here). */
const cluster = {
  spec: { size: 3, etcdVersion: "3.7.3" },
  names: ["n1", "n2", "n3"],
  members: [],
  startupMs: { leader: 1000 },
  statuses: async () => new Map(),
  nameOf: () => undefined,
  member: () => undefined,
} as unknown as Cluster;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const freshDir = (): string => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "recording-test-")), "run");

async function section(recording: Recording, process: number, holder: string, heldMs: number): Promise<void> {
  recording.invoke(process, { f: "acquire", key: "work", value: { holder, ttl: 2 } }).ok({ holder, lease: `lease-${holder}` });
  await sleep(heldMs);
  recording.invoke(process, { f: "release", key: "work", value: { lease: `lease-${holder}` } }).ok({ lease: `lease-${holder}` });
}

describe("Recording", () => {
  it("records invoke and completion on its clock, and judges overlapping critical sections invalid", async () => {
    const recording = new Recording(cluster, new RunClock(), "overlap", freshDir());
    const [a, b] = [recording.process(), recording.process()];
    await Promise.all([section(recording, a, "a", 30), sleep(10).then(() => section(recording, b, "b", 30))]);
    const verdict = await recording.finish({ checkers: ["lock"], expected: "invalid" });
    expect(verdict.verdict).toBe("invalid");
    expect(verdict.results.checkers["lock"]!.anomalies[0]!.kind).toBe("lock-held-past-lease");
    expect(verdict.results.stats.operations).toEqual({ ok: 4, fail: 0, info: 0 });
    // The folder is a report folder like harness run's, its results.json valid against the schema.
    expect(fs.readdirSync(verdict.dir).sort()).toEqual(["history.jsonl", "index.html", "junit.xml", "results.json", "status.jsonl", "summary.md"]);
    const stored = runResultsSchema.parse(JSON.parse(fs.readFileSync(path.join(verdict.dir, "results.json"), "utf8")));
    expect(stored).toMatchObject({ recordedBy: "test", expected: "invalid", scenario: "overlap" });
    const summary = fs.readFileSync(path.join(verdict.dir, "summary.md"), "utf8");
    expect(summary).toContain("an application's history, recorded by its test");
    expect(summary).not.toContain("Replay this run");
    expect(fs.readFileSync(path.join(verdict.dir, "index.html"), "utf8")).not.toContain('data-testid="replay-command"');
    const history = (await readHistoryFile(path.join(verdict.dir, "history.jsonl"), "jsonl")).entries;
    expect(history.map((entry) => `${entry.process}:${entry.f}:${entry.type}`)).toEqual([
      "0:acquire:invoke", "0:acquire:ok", "1:acquire:invoke", "1:acquire:ok", "0:release:invoke", "0:release:ok", "1:release:invoke", "1:release:ok",
    ]);
    expect(history.every((entry, index) => index === 0 || entry.time >= history[index - 1]!.time)).toBe(true);
  });

  it("judges sections one after another valid; a second completion and anything after finish are ignored", async () => {
    const recording = new Recording(cluster, new RunClock(), "serial", freshDir());
    const [a, b] = [recording.process(), recording.process()];
    await section(recording, a, "a", 5);
    await section(recording, b, "b", 5);
    const late = recording.invoke(a, { f: "acquire", key: "work", value: { holder: "a", ttl: 2 } });
    late.fail(new Error("no longer the leader"));
    late.ok({ holder: "a", lease: "lease-a" });
    const verdict = await recording.finish({ checkers: ["lock"] });
    expect(verdict.verdict, verdict.summary).toBe("valid");
    recording.invoke(b, { f: "acquire", key: "work" }).ok();
    const history = (await readHistoryFile(path.join(verdict.dir, "history.jsonl"), "jsonl")).entries;
    expect(history).toHaveLength(10);
    expect(history.at(-1)).toMatchObject({ type: "fail", error: "no longer the leader" });
    expect(await recording.finish({ checkers: ["lock"] })).toBe(verdict);
  });

  it("operation() records ok with the result, and an error as fail or info by etcd's rules, rethrown", async () => {
    const recording = new Recording(cluster, new RunClock(), "operations", freshDir());
    const p = recording.process();
    await recording.operation(p, { f: "add", value: 1 }, async () => ({ revision: 2 }), { okValue: () => undefined });
    await expect(recording.operation(p, { f: "add", value: 2 }, async () => Promise.reject(new Error("etcdserver: request timed out")))).rejects.toThrow("timed out");
    const q = recording.process();
    await expect(recording.operation(q, { f: "add", value: 5 }, async () => Promise.reject(new Error("boom")), { failure: () => "fail" })).rejects.toThrow("boom");
    // The timed-out add may have happened: 1 and 3 are both linearizable reads.
    expect(await recording.operation(q, { f: "read" }, async () => 3)).toBe(3);
    const verdict = await recording.finish({ checkers: [linearizabilityOf(counterModel)] });
    const history = (await readHistoryFile(path.join(verdict.dir, "history.jsonl"), "jsonl")).entries;
    expect(history.filter((entry) => entry.type !== "invoke").map((entry) => entry.type)).toEqual(["ok", "info", "fail", "ok"]);
    expect(verdict.results.checkers["linearizability"]!.verdict).toBe("valid");
  });

  it("a user's model finds a stale read invalid, and a lost add", async () => {
    const recording = new Recording(cluster, new RunClock(), "stale", freshDir());
    const p = recording.process();
    recording.invoke(p, { f: "add", value: 1 }).ok();
    recording.invoke(p, { f: "add", value: 2 }).ok();
    recording.invoke(p, { f: "read" }).ok(1);
    const verdict = await recording.finish({ checkers: [linearizabilityOf(counterModel, { name: "counter" })] });
    expect(verdict.verdict).toBe("invalid");
    expect(verdict.results.checkers["counter"]!.summary).toMatch(/read\(\) -> 1 by process 0 .*count 3/);
  });
});

describe("checkersFor", () => {
  it("names what is wrong: an unknown checker, or none at all", () => {
    expect(() => checkersFor(["lokc"])).toThrow(/no checker named lokc; known: .*lock/);
    expect(() => checkersFor([])).toThrow(/no checker chosen/);
    expect(checkersFor(["lock", { name: "availability", options: {} }]).map((checker) => checker.name)).toEqual(["lock", "availability"]);
  });
});

describe("statusTable", () => {
  it("prints etcdctl's columns, one row per member, a member that did not answer with its error", () => {
    const table = statusTable([
      { member: "n1", endpoint: "127.0.0.1:2379", id: "8e9e05c52164694d", version: "3.7.3", dbSizeBytes: 20480, isLeader: true, isLearner: false, raftTerm: 2, raftIndex: 8, raftAppliedIndex: 8, errors: [] },
      { member: "n2", endpoint: "127.0.0.1:2380", errors: ["context deadline exceeded"] },
    ]);
    const lines = table.split("\n");
    expect(lines).toHaveLength(6);
    expect(lines[1]).toMatch(/^\| ENDPOINT +\| ID +\| VERSION \| DB SIZE \| IS LEADER \| IS LEARNER \| RAFT TERM \| RAFT INDEX \| RAFT APPLIED INDEX \| ERRORS +\|$/);
    expect(lines[3]).toMatch(/\| n1 \(127\.0\.0\.1:2379\) \| 8e9e05c52164694d \| 3\.7\.3 +\| 20 kB +\| true +\| false +\| 2 +\| 8 +\| 8 +\| +\|/);
    expect(lines[4]).toContain("context deadline exceeded");
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
  });
});
