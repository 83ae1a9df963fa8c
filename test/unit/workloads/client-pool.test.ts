// The client pool's process rules on a stand-in cluster: every call recorded as invoke and completion,
// definite failures keep the process, unknown outcomes retire it for a fresh one on the same member,
// and a member leaving or coming back moves the slot through fresh processes.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Cluster } from "../../../harness/cluster/backend.ts";
import { RunClock } from "../../../harness/history/clock.ts";
import { parseHistory } from "../../../record/history/history-file.ts";
import { HistoryRecorder } from "../../../harness/history/recorder.ts";
import { ClientPauses } from "../../../harness/clients/client-pauses.ts";
import { seededRandom } from "../../../harness/random.ts";
import { ClientPool, type Invocation } from "../../../workloads/client-pool.ts";
import { defaultWorkloadSettings } from "../../../record/settings.ts";
import { ProcessIds } from "../../../harness/history/process-ids.ts";

function standInCluster(): { cluster: Cluster; closed: string[] } {
  const closed: string[] = [];
  let clients = 0;
  const cluster = {
    members: [{ name: "n1" }, { name: "n2" }],
    client: (member: string) => {
      const id = `${member}#${clients++}`;
      return { id, close: () => closed.push(id) };
    },
  } as unknown as Cluster;
  return { cluster, closed };
}

describe("ClientPool", () => {
  it("records each call, keeps a process after fail, and replaces it after info (NOSPACE included)", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pool-")), "history.jsonl");
    const recorder = new HistoryRecorder(file, new RunClock());
    const { cluster, closed } = standInCluster();
    const outcomes = ["ok", "fail", "info", "throw-timeout", "throw-nospace"];
    let call = 0;
    const pool = new ClientPool(
      { cluster, recorder, randomFor: () => seededRandom(1), clients: new ClientPauses(), settings: { ...defaultWorkloadSettings, concurrency: 1, rate: 1000 }, processIds: new ProcessIds(), keyPrefix: "" },
      {
        initialState: () => ({}),
        next: (): Invocation => {
          const outcome = outcomes[call++ % outcomes.length]!;
          return {
            f: "write",
            key: "k",
            value: call,
            async run() {
              if (outcome === "throw-timeout") throw new Error("4 DEADLINE_EXCEEDED: Deadline exceeded");
              if (outcome === "throw-nospace") throw new Error("etcdserver: mvcc: database space exceeded");
              if (outcome === "info") throw new Error("14 UNAVAILABLE: connection reset");
              return outcome === "ok" ? { type: "ok", revision: 7 } : { type: "fail", error: "compare failed" };
            },
          };
        },
      },
    );
    pool.start();
    while (call < 10) await new Promise((resolve) => setTimeout(resolve, 5));
    await pool.stop();
    recorder.close();
    const history = parseHistory(fs.readFileSync(file, "utf8"), "jsonl").entries;
    const completions = history.filter((entry) => entry.type !== "invoke");
    expect(history.filter((entry) => entry.type === "invoke")).toHaveLength(completions.length);
    expect(completions.slice(0, 5).map((entry) => [entry.process, entry.type])).toEqual([
      [0, "ok"],
      [0, "fail"],
      [0, "info"],
      [1, "info"],
      [2, "info"],
    ]);
    expect(completions[0]).toMatchObject({ value: 1, revision: 7, node: "n1" });
    expect(completions[4]).toMatchObject({ error: "etcdserver: mvcc: database space exceeded" });
    expect(closed.slice(0, 3)).toEqual(["n1#0", "n1#1", "n1#2"]);
    expect(new Set(history.map((entry) => entry.node))).toEqual(new Set(["n1"]));
  });

  it("moves a slot whose member left to another member, and back home when it returns, each time as a fresh process", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pool-")), "history.jsonl");
    const recorder = new HistoryRecorder(file, new RunClock());
    const { cluster } = standInCluster();
    const members = cluster.members as unknown as Array<{ name: string }>;
    const n2 = members[1]!;
    let call = 0;
    const pool = new ClientPool(
      { cluster, recorder, randomFor: () => seededRandom(1), clients: new ClientPauses(), settings: { ...defaultWorkloadSettings, concurrency: 2, rate: 2000 }, processIds: new ProcessIds(), keyPrefix: "" },
      {
        initialState: () => ({}),
        next: (): Invocation => {
          call++;
          if (call === 10) members.splice(1, 1);
          if (call === 30) members.push(n2);
          return { f: "read", key: "k", async run() { return { type: "ok", value: null }; } };
        },
      },
    );
    pool.start();
    while (call < 50) await new Promise((resolve) => setTimeout(resolve, 5));
    await pool.stop();
    recorder.close();
    const history = parseHistory(fs.readFileSync(file, "utf8"), "jsonl").entries;
    expect(history.filter((entry) => entry.type === "info")).toEqual([]);
    // Every process stays on one member.
    const nodesOf = new Map<unknown, Set<unknown>>();
    for (const entry of history) nodesOf.set(entry.process, (nodesOf.get(entry.process) ?? new Set()).add(entry.node));
    for (const nodes of nodesOf.values()) expect(nodes.size).toBe(1);
    // The slot at home on n2 went to n1 as process 2, then back to n2 as process 3; slot n1 kept process 0.
    const runs = history.filter((entry) => entry.type === "invoke" && entry.process !== 0).map((entry) => `${entry.process}@${entry.node}`);
    expect([...new Set(runs)]).toEqual(["1@n2", "2@n1", "3@n2"]);
  });
});
