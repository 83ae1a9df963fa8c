// A runbook's steps: timed on the clock given, recorded with their commands, and a failed step stops it naming itself, its command and the answer.
import { describe, expect, it } from "vitest";
import { Runbook, RunbookStepFailed } from "../../../nemesis/runbook.ts";

describe("Runbook", () => {
  it("records each step with its command, times and answer", async () => {
    let now = 0;
    const runbook = new Runbook(() => (now += 10));
    expect(await runbook.step("endpoint status", "etcdctl endpoint status", async () => "n4")).toBe("n4");
    await runbook.step("start n4", "etcd --name n4", async () => 42);
    expect(runbook.steps).toEqual([
      { name: "endpoint status", command: "etcdctl endpoint status", startedAt: 10, endedAt: 20, ok: true, answer: "n4" },
      { name: "start n4", command: "etcd --name n4", startedAt: 30, endedAt: 40, ok: true },
    ]);
  });

  it("stops at a failed step, naming it, its command and what was answered", async () => {
    const runbook = new Runbook(() => 0);
    const failing = runbook.step("member update n4's peer URL", "etcdctl member update 1f --peer-urls=http://peer-4:2380", async () => {
      throw new Error("etcdserver: member not found");
    });
    await expect(failing).rejects.toBeInstanceOf(RunbookStepFailed);
    await expect(failing).rejects.toThrow('runbook step "member update n4\'s peer URL" failed: `etcdctl member update 1f --peer-urls=http://peer-4:2380` answered: etcdserver: member not found');
    expect(runbook.steps.at(-1)).toMatchObject({ ok: false, answer: "etcdserver: member not found" });
  });
});
