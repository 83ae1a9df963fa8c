// A made-up but plausible recorded run of any size (register ops, two partitions, a stale read), for report tests and benchmarks.
import type { CheckResult } from "../../record/check-result.ts";
import type { OperationView } from "../../checkers/linearizability/result.ts";
import type { HistoryEntry } from "../../record/history/entry.ts";
import { seededRandom } from "../../harness/random.ts";
import type { StatusSample } from "../../record/status.ts";
import type { RunResults } from "../../record/results.ts";
import { baseSettings } from "../../scenarios/scenario.ts";

export interface SyntheticRun {
  results: RunResults;
  history: HistoryEntry[];
  statuses: StatusSample[];
}

interface SimulatedOp {
  process: number;
  node: string;
  f: "read" | "write" | "cas";
  key: string;
  value?: unknown;
  result?: unknown;
  start: number;
  end: number;
  type: "ok" | "fail" | "info";
  error?: string;
}

const members = ["n1", "n2", "n3"];
const s = (seconds: number): number => Math.round(seconds * 1e9);

/**
 * `operations` client operations at about 1000 per second from 30 slots, 10 per member. n3 is cut off
 * from 20% to 40% of the run, the leader n1 from 60% to 80%; a cut-off member's writes time out
 * (info, and its slot continues as a fresh process) and its reads are served stale. One such read is
 * the linearizability checker's counterexample.
 */
export function syntheticRun(operations: number, seed = 7, reportDir = "runs/synthetic"): SyntheticRun {
  const random = seededRandom(seed);
  const startS = 2;
  const durationS = Math.max(1, operations / 1000);
  const cut = (from: number, to: number, node: string) => ({ node, from: startS + durationS * from, to: startS + durationS * to });
  const partitions = [cut(0.2, 0.4, "n3"), cut(0.6, 0.8, "n1")];
  const cutOff = (node: string, t: number): boolean => partitions.some((window) => window.node === node && t >= window.from && t < window.to);
  const slots = 30;
  const clock = Array.from({ length: slots }, (_, slot) => startS + slot * 0.001);
  const processOf = Array.from({ length: slots }, (_, slot) => slot);
  let nextProcess = slots;
  let nextValue = 1;
  let register = 0;
  const ops: SimulatedOp[] = [];
  while (ops.length < operations) {
    let slot = 0;
    for (let candidate = 1; candidate < slots; candidate++) if (clock[candidate]! < clock[slot]!) slot = candidate;
    const node = members[slot % members.length]!;
    const start = clock[slot]!;
    const f = (["read", "write", "cas"] as const)[random.below(3)]!;
    const key = `r${random.below(3)}`;
    const op: SimulatedOp = { process: processOf[slot]!, node, f, key, start, end: start + 0.001 + random.next() * 0.012, type: "ok" };
    if (f === "write") op.value = nextValue++;
    if (f === "cas") op.value = [register, nextValue++];
    if (cutOff(node, start) && f !== "read") {
      op.type = "info";
      op.end = start + 1;
      op.error = "deadline exceeded after 1000ms";
      processOf[slot] = nextProcess++;
    } else if (f === "read") {
      op.result = cutOff(node, start) ? Math.max(0, register - 50) : register;
    } else if (f === "cas" && random.next() < 0.4) {
      op.type = "fail";
      op.error = "compare failed";
    } else {
      register = f === "write" ? (op.value as number) : (op.value as number[])[1]!;
    }
    ops.push(op);
    clock[slot] = op.end + 0.016 + random.next() * 0.014;
  }

  const entries: Array<Omit<HistoryEntry, "index">> = [];
  for (const op of ops) {
    entries.push({ time: s(op.start), process: op.process, type: "invoke", f: op.f, key: op.key, node: op.node, ...(op.value !== undefined ? { value: op.value } : {}) });
    entries.push({
      time: s(op.end),
      process: op.process,
      type: op.type,
      f: op.f,
      key: op.key,
      node: op.node,
      ...(op.result !== undefined ? { value: op.result } : {}),
      ...(op.error ? { error: op.error } : {}),
    });
  }
  for (const window of partitions) {
    const targets = [window.node];
    entries.push({ time: s(window.from - 0.05), process: "nemesis", type: "invoke", f: "start-partition", value: { selector: "follower", targets } });
    entries.push({ time: s(window.from), process: "nemesis", type: "info", f: "start-partition", value: { targets } });
    entries.push({ time: s(window.to), process: "nemesis", type: "invoke", f: "stop-partition", value: { targets } });
    entries.push({ time: s(window.to + 0.05), process: "nemesis", type: "info", f: "stop-partition", value: { targets, healed: true } });
  }
  entries.sort((a, b) => a.time - b.time);
  const history = entries.map((entry, index) => ({ ...entry, index }) as HistoryEntry);

  const invokeIndex = new Map<SimulatedOp, number>();
  const completeIndex = new Map<SimulatedOp, number>();
  {
    const byTime = new Map<string, SimulatedOp>();
    for (const op of ops) {
      byTime.set(`${op.process}/${s(op.start)}/i`, op);
      byTime.set(`${op.process}/${s(op.end)}/c`, op);
    }
    for (const entry of history) {
      if (entry.process === "nemesis") continue;
      const op = byTime.get(`${entry.process}/${entry.time}/${entry.type === "invoke" ? "i" : "c"}`);
      if (op) (entry.type === "invoke" ? invokeIndex : completeIndex).set(op, entry.index);
    }
  }
  const view = (op: SimulatedOp, id: number): OperationView => ({
    id,
    process: op.process,
    key: op.key,
    f: op.f,
    description: op.f === "read" ? `read() -> ${String(op.result)}` : `${op.f}(${JSON.stringify(op.value)})`,
    outcome: op.type === "ok" ? "ok" : "unknown",
    call: s(op.start),
    ret: op.type === "ok" ? s(op.end) : null,
    invokeIndex: invokeIndex.get(op)!,
    completeIndex: completeIndex.get(op) ?? null,
  });
  const staleAt = ops.findIndex((op) => op.f === "read" && op.node === "n3" && cutOff("n3", op.start) && (op.result as number) > 0);
  const stale = ops[Math.max(0, staleAt)]!;
  const nearby = ops.slice(Math.max(0, staleAt - 6), staleAt + 6).filter((op) => op !== stale && op.key === stale.key);

  const statuses: StatusSample[] = [];
  for (let t = startS - 0.5; t < startS + durationS + 1; t += 0.2) {
    const leader = t < (partitions[1]!.from + partitions[1]!.to) / 2 ? "n1" : "n2";
    const term = leader === "n1" ? 2 : 3;
    for (const member of members) {
      const alone = cutOff(member, t - 0.1);
      statuses.push({ time: s(t), member, leader: alone ? null : leader, term: alone ? term + 1 : term, raftIndex: Math.round(t * 900), revision: Math.round(t * 800) });
    }
  }

  const faults: RunResults["faults"] = partitions.map((window, step) => ({
    step,
    fault: "partition",
    selector: window.node === "n1" ? "leader" : "follower",
    targets: [window.node],
    params: {},
    start: s(window.from - 0.05),
    effective: s(window.from),
    healStart: s(window.to),
    end: s(window.to + 0.05),
    signs: [{ kind: "measured", held: true, what: `${window.node} lost its leader 1.0s after the cut` }],
    tookEffect: true,
    evidence: `${window.node} lost its leader 1.0s after the cut`,
    healed: true,
    healEvidence: "all 3 members followed one leader 0.1s after the heal",
    details: { groups: [[window.node], members.filter((member) => member !== window.node)] },
  }));
  const counts = { ok: 0, fail: 0, info: 0 };
  for (const op of ops) counts[op.type]++;
  const blocked = view(stale, 0);
  const concurrent = nearby.slice(-3).map((op, index) => view(op, index + 100));
  const linearizability: CheckResult = {
    verdict: "invalid",
    summary: `key ${stale.key}: ${blocked.description} by process ${stale.process} on n3 at ${stale.start.toFixed(1)}s cannot be placed`,
    anomalies: [
      {
        kind: "not-linearizable",
        explanation: `key ${stale.key}: ${blocked.description} by process ${stale.process} on n3 cannot be placed`,
        ops: [blocked.invokeIndex],
        context: [{ label: "concurrent operations", ops: concurrent.map((op) => op.invokeIndex) }],
        members: ["n3"],
        state: String(stale.result as number + 50),
        from: blocked.call,
      },
    ],
    checker: "linearizability",
    model: "register",
    operations: ops.length,
    partitions: [
      {
        label: stale.key,
        operations: Math.round(ops.length / 3),
        configurations: 200,
        elapsedMs: 6,
        verdict: "invalid",
        counterexample: {
          blocked,
          prefix: nearby.map((op, index) => view(op, index + 1)),
          stateBefore: String(stale.result as number + 50),
          concurrent,
        },
      },
    ],
    elapsedMs: 30,
  };
  const results: RunResults = {
    format: 2,
    scenario: "partition-minority",
    verdict: "invalid",
    expected: "valid",
    seed,
    etcd: "3.7.3",
    members,
    probes: {},
    settings: { ...baseSettings, timeMs: durationS * 1000, readMode: "serializable", concurrency: slots, rate: 1000 },
    startedAt: "2026-11-21T10:00:00.000Z",
    plan: { workload: "register", checkers: [{ name: "linearizability" }, { name: "minority-refuses" }, { name: "convergence" }, { name: "faults-took-effect" }] },
    checkers: {
      linearizability,
      "minority-refuses": { verdict: "valid", summary: "0 of 40 operations on a cut-off member were acknowledged while it was cut off", anomalies: [], judged: 40, acknowledged: [] },
      convergence: { verdict: "valid", summary: "3 members at revision 1000 with HashKV 42", anomalies: [], revisions: { n1: 1000, n2: 1000, n3: 1000 } },
      "faults-took-effect": { verdict: "unknown", summary: "partition of n1 did not take effect (synthetic)", anomalies: [] },
    },
    schedule: [],
    faults,
    stats: {
      operations: counts,
      operationsByNode: {},
      clientProcesses: nextProcess,
      workloadSeconds: durationS,
      wallSeconds: durationS + 4,
      clusterStartupMs: {},
    },
    reportDir,
  };
  return { results, history, statuses };
}
