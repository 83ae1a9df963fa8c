// Every workload on a healthy cluster records a history its checker accepts (watch and lock: shape and
// completeness), and a blackholed client link turns stuck operations into info, never ok or fail.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pairOperations, type Operation } from "../../checkers/operations.ts";
import { checkHistory, createModel, defaultEtcdVersion, runWorkload, startCluster, type HistoryEntry } from "../../index.ts";
import { type DockerCluster } from "../../harness/cluster/docker/docker-cluster.ts";
import type { WatchEvent } from "../../record/values/watch.ts";
import { checkTransactions, type ElleWorkload } from "../../checkers/elle/check.ts";
import { transactionsFromHistory } from "../../checkers/elle/from-history.ts";

let cluster: DockerCluster;

beforeAll(async () => {
  cluster = await startCluster({ size: 3, etcdVersion: await defaultEtcdVersion() });
});

afterAll(async () => {
  await cluster?.stop();
});

const timeMs = 4000;
const ops = (history: HistoryEntry[], f?: string): Operation[] => pairOperations(history).filter((op) => f === undefined || op.f === f);
const verdict = (history: HistoryEntry[], model: "register" | "etcd"): string => checkHistory(history, createModel(model)).verdict;
const elle = (history: HistoryEntry[], workload: ElleWorkload) =>
  checkTransactions(transactionsFromHistory(history, workload).transactions, { workload, consistency: "strict-serializable" });

describe("workloads on a healthy cluster", () => {
  it("register with value cas: reads name unique writes, some cas swap and some find another value (ok, false), linearizable", async () => {
    const { history } = await runWorkload(cluster, { workload: "register", timeMs, seed: 1 });
    const writes = ops(history, "write").map((op) => op.invoke.value);
    expect(new Set(writes).size).toBe(writes.length);
    expect(ops(history, "read").filter((op) => op.type === "ok").length).toBeGreaterThan(50);
    const cas = ops(history, "cas");
    expect(cas.some((op) => op.type === "ok" && op.complete!.value !== false)).toBe(true);
    // A compare that did not hold is an observation etcd made in a committed txn, checked like a read.
    expect(cas.some((op) => op.type === "ok" && op.complete!.value === false)).toBe(true);
    expect(cas.some((op) => op.type === "fail")).toBe(false);
    expect(verdict(history, "register")).toBe("valid");
  });

  it("register with mod-revision cas: txns guarded on revisions, linearizable under the etcd model", async () => {
    const { history } = await runWorkload(cluster, { workload: "register", timeMs, seed: 2, settings: { casCompare: "mod-revision" } });
    const txns = ops(history, "txn").filter((op) => op.type === "ok");
    expect(txns.some((op) => (op.complete!.value as { succeeded: boolean }).succeeded)).toBe(true);
    expect(verdict(history, "etcd")).toBe("valid");
  });

  it("append: committed transactions append to lists, strictly serializable", async () => {
    const { history } = await runWorkload(cluster, { workload: "append", timeMs, seed: 3 });
    const commits = ops(history, "txn").filter((op) => (op.invoke.value as { compare: unknown[] }).compare.length > 0);
    const committed = commits.filter((op) => (op.complete?.value as { succeeded?: boolean } | undefined)?.succeeded);
    expect(committed.length).toBeGreaterThan(20);
    expect(verdict(history, "etcd")).toBe("valid");
    const report = elle(history, "list-append");
    expect(report.findings.map((finding) => finding.explanation)).toEqual([]);
    expect(report.edges.wr).toBeGreaterThan(20);
  });

  it("wr: read-write register txns, each key's writes ordered by etcd's revisions, strictly serializable", async () => {
    const { history } = await runWorkload(cluster, { workload: "wr", timeMs, seed: 6 });
    const txns = ops(history, "txn").filter((op) => op.type === "ok");
    expect(txns.length).toBeGreaterThan(50);
    const requests = txns.flatMap((op) => (op.invoke.value as { success: Array<{ f: string }> }).success.map((request) => request.f));
    expect(new Set(requests)).toEqual(new Set(["get", "put"]));
    const report = elle(history, "rw-register");
    expect(report.verdict, report.findings[0]?.explanation).toBe("valid");
    // Reads named the writes they saw, and revisions ordered writes no read saw in between.
    expect(report.edges.wr).toBeGreaterThan(20);
    expect(report.edges.ww).toBeGreaterThan(20);
    expect(verdict(history, "etcd")).toBe("valid");
  });

  it("kubernetes: lists, creates, guarded updates and deletes, linearizable", async () => {
    const { history } = await runWorkload(cluster, { workload: "kubernetes", timeMs, seed: 4 });
    const guarded = ops(history, "txn").filter((op) => (op.invoke.value as { compare: unknown[] }).compare.length > 0);
    const targets = new Set(guarded.map((op) => (op.invoke.value as { compare: Array<{ target: string }> }).compare[0]!.target));
    expect([...targets].sort()).toEqual(["create", "mod"]);
    const writes = guarded.flatMap((op) => (op.invoke.value as { success: Array<{ f: string }> }).success.map((request) => request.f));
    expect(new Set(writes)).toEqual(new Set(["put", "delete"]));
    expect(verdict(history, "etcd")).toBe("valid");
  });

  it("watch: every watcher receives every write once, in revision order, across resumed sessions", async () => {
    const { history } = await runWorkload(cluster, { workload: "watch", timeMs, seed: 5 });
    expect(verdict(history, "etcd")).toBe("valid");
    const written = new Map<number, { key: string; value?: string }>();
    for (const op of pairOperations(history)) {
      if (op.type !== "ok" || op.complete!.revision === undefined) continue;
      if (op.f === "put") written.set(op.complete!.revision, { key: op.key!, value: op.invoke.value as string });
      if (op.f === "delete" && (op.complete!.value as { deleted: number }).deleted > 0) written.set(op.complete!.revision, { key: op.key! });
    }
    expect(written.size).toBeGreaterThan(50);
    const sessionsByProcess = new Map<number, Operation[]>();
    for (const session of ops(history, "watch")) sessionsByProcess.set(session.process, [...(sessionsByProcess.get(session.process) ?? []), session]);
    expect(sessionsByProcess.size).toBeGreaterThanOrEqual(2);
    for (const [process, sessions] of sessionsByProcess) {
      expect(sessions.length, `watcher ${process} resumed`).toBeGreaterThan(1);
      const events: WatchEvent[] = [];
      let expectedFrom = 1;
      for (const session of sessions) {
        const value = session.complete!.value as { fromRevision: number; nextRevision: number; events: WatchEvent[] };
        expect(value.fromRevision).toBe(expectedFrom);
        expectedFrom = value.nextRevision;
        events.push(...value.events);
      }
      // Non-decreasing revisions; a two-key txn gives two events one revision.
      const revisions = events.map((event) => event.modRevision);
      expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
      const delivered = events.map((event) => `${event.modRevision} ${event.key}`);
      expect(new Set(delivered).size).toBe(delivered.length);
      for (const [revision, write] of written) {
        const event = events.find((candidate) => candidate.modRevision === revision);
        expect(event, `watcher ${process} missed revision ${revision}`).toBeDefined();
        expect({ key: event!.key, value: event!.value }).toEqual(write);
      }
    }
  });

  it("lock: each critical section follows an acquire and ends in a release, and none overlap on a healthy cluster", async () => {
    const { history } = await runWorkload(cluster, { workload: "lock", timeMs, seed: 6, settings: { keys: 1, rate: 100 } });
    const sections: Array<{ process: number; from: number; to: number }> = [];
    const open = new Map<number, number>();
    for (const op of pairOperations(history)) {
      if (op.f === "acquire" && op.type === "ok") {
        expect(open.has(op.process)).toBe(false);
        open.set(op.process, op.complete!.time);
      }
      if (op.f === "release") {
        expect(open.has(op.process), `release by ${op.process} without a held lock`).toBe(true);
        sections.push({ process: op.process, from: open.get(op.process)!, to: op.invoke.time });
        open.delete(op.process);
      }
    }
    expect(sections.length).toBeGreaterThan(5);
    expect(ops(history, "acquire").some((op) => op.type === "fail" && /held by p\d+/.test(op.complete!.error!))).toBe(true);
    sections.sort((a, b) => a.from - b.from);
    for (let i = 1; i < sections.length; i++) expect(sections[i]!.from).toBeGreaterThanOrEqual(sections[i - 1]!.to);
  });
});

describe("a blackholed client link", () => {
  it("turns the operations stuck on it into info, and their processes are replaced", async () => {
    const cut = { from: 0, to: 0 };
    const { history, settings } = await runWorkload(cluster, {
      workload: "register",
      timeMs: 8000,
      seed: 7,
      during: async (recorder) => {
        await new Promise((resolve) => setTimeout(resolve, 1500));
        await cluster.links.clients.blackhole("n1");
        cut.from = recorder.clock.now();
        // Five deadlines long: each of n1's slots has at least three operations invoked and timed out
        // inside the cut, whatever the phase of the one in flight when it began.
        await new Promise((resolve) => setTimeout(resolve, 5000));
        cut.to = recorder.clock.now();
        await cluster.links.clients.restore("n1");
      },
    });
    const timeoutNs = settings.opTimeoutMs * 1e6;
    const stuck = pairOperations(history).filter((op) => op.node === "n1" && op.invoke.time > cut.from && op.invoke.time + timeoutNs < cut.to);
    // Slots are dealt to members in turn.
    const slotsOnN1 = Math.ceil(settings.concurrency / cluster.members.length);
    expect(stuck.length).toBeGreaterThanOrEqual(3 * slotsOnN1);
    expect(stuck.map((op) => op.type)).toEqual(stuck.map(() => "info"));
    expect(new Set(stuck.map((op) => op.process)).size).toBe(stuck.length);
    expect(verdict(history, "register")).toBe("valid");
  });
});
