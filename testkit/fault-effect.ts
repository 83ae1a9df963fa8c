// Waits until a fault's signs show it took effect, or says what did not: a test goes on only once the fault bit.
import type { Cluster } from "../harness/cluster/backend.ts";
import type { EffectSign } from "../record/fault.ts";
import type { FaultHandle } from "../nemesis/nemesis.ts";

/** Budget for a cut-off side to lose its leader while the majority keeps one (election timeout is 1 s by default). */
export const defaultEffectBudgetMs = 15_000;

export class FaultDidNotTakeEffect extends Error {
  constructor(fault: string, why: string) {
    super(`${fault} did not take effect: ${why}`);
    this.name = "FaultDidNotTakeEffect";
  }
}

/**
 * Verifies `handle`: a measured sign must hold now; a leader-lost sign is waited for in the members'
 * own statuses (asked on their own ports, beside every fault); a disturbance needs nothing more.
 */
export async function awaitEffect(fault: string, handle: FaultHandle, cluster: Cluster, budgetMs = defaultEffectBudgetMs): Promise<EffectSign[]> {
  const signs = await handle.verify();
  for (const sign of signs) {
    if (sign.kind === "measured" && !sign.held) throw new FaultDidNotTakeEffect(fault, sign.what);
    if (sign.kind === "leader-lost") await awaitLeaderLost(fault, sign, cluster, budgetMs);
  }
  return signs;
}

async function awaitLeaderLost(fault: string, sign: Extract<EffectSign, { kind: "leader-lost" }>, cluster: Cluster, budgetMs: number): Promise<void> {
  const deadline = Date.now() + budgetMs;
  let last = "no status answered";
  for (;;) {
    const statuses = await cluster.statuses(1000);
    const leaderOf = (name: string): string | undefined => {
      const status = statuses.get(name);
      return status === undefined || status instanceof Error ? undefined : (cluster.nameOf(status.leaderId) ?? "none");
    };
    const cutOff = sign.members.map((name) => [name, leaderOf(name)] as const);
    // A cut-off member still naming a leader has not timed out yet, whichever side that leader is on.
    const lost = cutOff.filter(([, leader]) => leader === "none" || leader === undefined);
    const majorityLeaders = new Set(sign.majority.map(leaderOf));
    const majorityLeader = majorityLeaders.size === 1 ? [...majorityLeaders][0] : undefined;
    const majorityHolds = sign.majority.length === 0 || (majorityLeader !== undefined && sign.majority.includes(majorityLeader));
    const enough = sign.required === "every" ? lost.length === cutOff.length : lost.length > 0;
    if (enough && majorityHolds) return;
    last = `cut off: ${cutOff.map(([name, leader]) => `${name} follows ${leader ?? "(no answer)"}`).join(", ")}; majority: ${sign.majority.map((name) => `${name} follows ${leaderOf(name) ?? "(no answer)"}`).join(", ")}`;
    if (Date.now() > deadline) throw new FaultDidNotTakeEffect(fault, `after ${budgetMs}ms ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
