// Simulated client pauses: a frozen client's background work stops at once and its next call waits for the resume.
import { describe, expect, it } from "vitest";
import { ClientPauses, type Pausable } from "../../../harness/clients/client-pauses.ts";

const pausable = (process: number, member: string): Pausable & { frozen: number } => {
  const client = { process, member, doing: "holds lock/l0", frozen: 0, freeze: () => client.frozen++ };
  return client;
};

describe("ClientPauses", () => {
  it("freezes the enrolled clients of the targets until resumed, and lets the others go on", async () => {
    const pauses = new ClientPauses();
    const [a, b] = [pausable(1, "n1"), pausable(2, "n2")];
    pauses.enrol(a);
    pauses.enrol(b);
    const found = await pauses.find(["n1"], 0);
    expect(pauses.freeze(found)).toEqual([{ process: 1, member: "n1", doing: "holds lock/l0" }]);
    expect([a.frozen, b.frozen]).toEqual([1, 0]);
    expect(await pauses.until(b)).toBe(0);
    let resumedAfter: number | undefined;
    const waiting = pauses.until(a).then((ms) => (resumedAfter = ms));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(resumedAfter).toBeUndefined();
    pauses.resume();
    pauses.resume();
    await waiting;
    expect(resumedAfter).toBeGreaterThanOrEqual(25);
  });

  it("waits for the next client to enrol on a target when none is, or when asked for a fresh one, up to a budget", async () => {
    const pauses = new ClientPauses();
    const unenrol = pauses.enrol(pausable(1, "n1"));
    const fresh = pauses.find(["n1", "n2"], 1000, true);
    pauses.enrol(pausable(3, "n3"));
    pauses.enrol(pausable(2, "n2"));
    expect((await fresh).map((client) => client.process)).toEqual([2]);
    unenrol();
    expect(await pauses.find(["n1"], 20)).toEqual([]);
  });
});
