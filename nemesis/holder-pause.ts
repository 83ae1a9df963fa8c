// Pauses aimed at a lock holder: its own client process (a simulated GC pause) or the etcd member its client talks to (SIGSTOP).
//
// Both wait (up to `waitMs`, 3000 by default) for a client bound to one of the targets to hold a lock
// (harness/clients/client-pauses.ts), so the pause lands inside a critical section.
//
// client-pause is a fault of the harness's own client, not of etcd, and is labelled so: the holder's
// lease keep-alive stops and it makes no call until the heal, then carries on where it was and releases
// the lock it still thinks it holds, as a process resuming from a stop-the-world GC pause would. etcd and
// every other client run on. holder-member-pause sends SIGSTOP to the etcd of the member the next lock
// holder is bound to (the `pause` fault aimed by the workload), and SIGCONT at heal.
import type { ClientPauses } from "../harness/clients/client-pauses.ts";
import { doneHandle, faultHandle, measured, type FaultContext, type FaultParams, type Nemesis } from "./nemesis.ts";
import { pauseNemesis } from "./process.ts";

const defaultWaitMs = 3000;

const waitMsOf = (params: FaultParams): number => (typeof params["waitMs"] === "number" ? params["waitMs"] : defaultWaitMs);

const targetsAreMembers = (cluster: { names: string[] }, targets: string[]): string | undefined =>
  targets.length === 0 ? "no targets" : targets.some((name) => !cluster.names.includes(name)) ? "a target is not a member" : undefined;

function pausesOf(context: FaultContext): ClientPauses {
  if (!context.clients) throw new Error("no client processes to pause: this run's faults were given no client pause controls");
  return context.clients;
}

export const clientPauseNemesis: Nemesis = {
  name: "client-pause",
  summary: "simulated GC pause of the lock-holding client processes bound to the targets (the harness's client, not etcd): no lease keep-alive, no calls, until heal",
  unavailableReason: targetsAreMembers,
  async inject(context, targets, params) {
    const pauses = pausesOf(context);
    const waitMs = waitMsOf(params);
    const found = await pauses.find(targets, waitMs);
    const frozen = pauses.freeze(found);
    const sign =
      frozen.length > 0
        ? measured(true, `froze ${frozen.map((client) => `p${client.process} on ${client.member} (${client.doing})`).join(", ")}`)
        : measured(false, `no client bound to ${targets.join(",")} held a lock within ${waitMs}ms`);
    return faultHandle({ frozen }, { verify: async () => [sign], heal: async () => pauses.resume(found) });
  },
};

export const holderMemberPauseNemesis: Nemesis = {
  name: "holder-member-pause",
  summary: "SIGSTOP the etcd member (among the targets) whose client takes a lock next; heal sends SIGCONT",
  unavailableReason: targetsAreMembers,
  async inject(context, targets, params) {
    const waitMs = waitMsOf(params);
    const [holder] = await pausesOf(context).find(targets, waitMs, true);
    if (!holder) return doneHandle({}, [measured(false, `no client bound to ${targets.join(",")} took a lock within ${waitMs}ms`)]);
    const paused = await pauseNemesis.inject(context, [holder.member], {});
    const who = `p${holder.process} (${holder.doing})`;
    return faultHandle(
      { ...paused.details, member: holder.member, holder: { process: holder.process, doing: holder.doing } },
      {
        verify: async () => (await paused.verify()).map((sign) => (sign.kind === "measured" ? { ...sign, what: `${sign.what}; its client ${who} holds a lock` } : sign)),
        heal: () => paused.heal(),
      },
    );
  },
};
