// A member's revision never goes backward: what it answers after another answer of its own completed carries a revision at least as high.
//
// A member applies entries in order and only ever adds revisions, so once it has answered at revision
// r (a put it applied, a read of its store at r) every operation it answers later, through a restart
// too, is at r or above. A lower one means the member lost applied revisions (a crash during
// compaction or defragmentation, a WAL save skipped) and serves from an older state: the answer comes
// from the response header's revision, per member, in real-time order (the later operation was sent
// after the earlier one completed), so concurrent operations are never compared.
import type { Anomaly } from "../record/check-result.ts";
import type { Checker } from "./checker.ts";
import { span } from "./checker.ts";
import { pairOperations, type Operation } from "./operations.ts";

interface Answer {
  op: Operation;
  revision: number;
}

export const revisionMonotonicChecker: Checker = {
  name: "revision-monotonic",
  check(run) {
    const byMember = new Map<string, Answer[]>();
    for (const op of pairOperations(run.history)) {
      const revision = op.complete?.revision;
      if (op.type !== "ok" || op.node === undefined || revision === undefined) continue;
      const answers = byMember.get(op.node) ?? [];
      answers.push({ op, revision });
      byMember.set(op.node, answers);
    }
    const anomalies: Anomaly[] = [];
    let compared = 0;
    for (const [member, answers] of [...byMember].sort(([a], [b]) => a.localeCompare(b))) {
      const byCompletion = [...answers].sort((a, b) => a.op.complete!.time - b.op.complete!.time);
      const byInvocation = [...answers].sort((a, b) => a.op.invoke.time - b.op.invoke.time);
      let highest: Answer | undefined;
      let next = 0;
      for (const answer of byInvocation) {
        while (next < byCompletion.length && byCompletion[next]!.op.complete!.time < answer.op.invoke.time) {
          const done = byCompletion[next++]!;
          if (!highest || done.revision > highest.revision) highest = done;
        }
        if (!highest) continue;
        compared += 1;
        if (answer.revision < highest.revision) anomalies.push(wentBack(member, answer, highest));
      }
    }
    const members = [...byMember.keys()].sort();
    if (members.length === 0) return { verdict: "unknown", summary: "no operation recorded the revision a member answered at", anomalies: [] };
    if (anomalies.length > 0) {
      const first = anomalies[0]!;
      return { verdict: "invalid", summary: `${anomalies.length} ${anomalies.length === 1 ? "answer" : "answers"} at a revision below one the member had answered at before; the first: ${first.explanation}`, anomalies, compared, members };
    }
    return { verdict: "valid", summary: `every member's revision only went up: ${compared} answers compared with the member's earlier ones on ${members.join(",")}`, anomalies, compared, members };
  },
};

function wentBack(member: string, answer: Answer, earlier: Answer): Anomaly {
  const at = (op: Operation, time: number) => `${op.f}${op.key !== undefined ? `(${op.key})` : ""} by process ${op.process} at ${(time / 1e9).toFixed(2)}s`;
  return {
    kind: "revision-went-back",
    explanation:
      `${member} answered ${at(answer.op, answer.op.complete!.time)} at revision ${answer.revision}, ` +
      `after it had answered ${at(earlier.op, earlier.op.complete!.time)} at revision ${earlier.revision}: ${earlier.revision - answer.revision} revisions lost`,
    ops: [answer.op.invoke.index],
    context: [{ label: "the earlier answer at a higher revision", ops: [earlier.op.invoke.index] }],
    members: [member],
    ...span(earlier.op.complete!.time, answer.op.complete!.time),
  };
}
