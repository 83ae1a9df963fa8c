// The progress line: time left, completions per second by type, the fault in place and the leader.
import { describe, expect, it } from "vitest";
import type { HistoryRecorder } from "../../../harness/history/recorder.ts";
import { RunProgress } from "../../../runner/progress.ts";

describe("RunProgress", () => {
  it("says how long is left, how many completions per second of each type, the fault and the leader", async () => {
    const recorder = { completions: { ok: 0, fail: 0, info: 0 } } as unknown as HistoryRecorder;
    let fault: string | undefined;
    const progress = new RunProgress({ recorder, workloadMs: 20_000, fault: () => fault, leader: () => "n2" }, false);
    expect(progress.line()).toMatch(/^running 0s, 20s left \| 0 ok\/s 0 fail\/s 0 info\/s \| fault: none \| leader: n2$/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    recorder.completions.ok += 100;
    recorder.completions.info += 5;
    fault = "partition of n1";
    const line = progress.line();
    const okPerSecond = Number(/(\d+) ok\/s/.exec(line)![1]);
    expect(okPerSecond).toBeGreaterThan(150);
    expect(okPerSecond).toBeLessThanOrEqual(200);
    expect(line).toContain("fault: partition of n1");
  });
});
