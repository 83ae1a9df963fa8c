// A member cut off from the majority must not acknowledge a write or a linearizable read.
import { span, type Checker } from "./checker.ts";
import { isReadOnly } from "./op-kinds.ts";
import { pairOperations, type Operation } from "./operations.ts";
import { partitionWindows, seconds } from "./partition-windows.ts";

const maxListed = 20;

export const minorityRefusesChecker: Checker = {
  name: "minority-refuses",
  check(run) {
    const windows = partitionWindows(run.faults, run.members).filter((window) => window.minority.length > 0);
    if (windows.length === 0) return { verdict: "unknown", summary: "no partition left a minority in this run", anomalies: [] };
    // Serializable reads are served locally by design; only linearizable ones must be refused.
    const judged = (op: Operation, readMode: string): boolean => !isReadOnly(op) || (readMode === "linearizable" && op.f !== "watch");
    // Only operations sent and answered entirely inside a window are judged: one invoked before the
    // cut may have been committed before it, and its acknowledgement may arrive after.
    const inside = pairOperations(run.history).filter(
      (op) =>
        judged(op, run.settings.readMode) &&
        windows.some(
          (window) =>
            op.node !== undefined &&
            window.minority.includes(op.node) &&
            op.invoke.time >= window.from &&
            (op.complete?.time ?? Infinity) <= window.to,
        ),
    );
    const acknowledged = inside.filter((op) => op.type === "ok");
    const evidence = {
      windows: windows.map((window) => ({ minority: window.minority, fromS: seconds(window.from), toS: seconds(window.to) })),
      judged: inside.length,
      refused: inside.length - acknowledged.length,
      acknowledged: acknowledged.slice(0, maxListed).map((op) => ({
        process: op.process,
        f: op.f,
        key: op.key,
        value: op.complete?.value ?? op.invoke.value,
        node: op.node,
        invokeIndex: op.invoke.index,
        completeIndex: op.complete?.index,
        invokeS: seconds(op.invoke.time),
        completeS: seconds(op.complete!.time),
      })),
    };
    if (inside.length === 0) {
      return { verdict: "unknown", summary: "no operation was sent to a cut-off member and answered while it was cut off", anomalies: [], ...evidence };
    }
    const anomalies = acknowledged.map((op) => ({
      kind: "acknowledged-while-cut-off",
      explanation: `${op.node} acknowledged ${op.f}${op.key ? ` ${op.key}` : ""} (process ${op.process}, ${seconds(op.invoke.time).toFixed(2)}-${seconds(op.complete!.time).toFixed(2)}s) while the schedule had it cut off from the majority`,
      ops: [op.invoke.index],
      members: [op.node!],
      ...span(op.invoke.time, op.complete!.time),
    }));
    if (acknowledged.length > 0) {
      return {
        verdict: "invalid",
        summary: `${acknowledged.length} of ${inside.length} operations on a cut-off member were acknowledged while it was cut off`,
        anomalies,
        ...evidence,
      };
    }
    return { verdict: "valid", summary: `0 of ${inside.length} operations on a cut-off member were acknowledged while it was cut off`, anomalies: [], ...evidence };
  },
};
