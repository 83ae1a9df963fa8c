// The final reads' keys and encoding: every key a workload touched, read the way its linearizability checker reads.
import { describe, expect, it } from "vitest";
import { encodingOf, touchedKeys } from "../../../runner/final-reads.ts";
import { defaultWorkloadSettings } from "../../../record/settings.ts";
import type { HistoryEntry } from "../../../record/history/entry.ts";

const entry = (fields: Partial<HistoryEntry>): HistoryEntry => ({ index: 0, time: 0, process: 1, type: "invoke", f: "read", ...fields });

describe("final reads", () => {
  it("reads every key named by an operation or inside a txn, but watched prefixes and the harness's own keys", () => {
    const history = [
      entry({ f: "write", key: "r1", value: 3 }),
      entry({ f: "txn", value: { compare: [{ key: "a2" }], success: [{ f: "put", key: "a3" }], failure: [{ f: "get", key: "a2" }] } }),
      entry({ f: "watch", key: "w/" }),
      entry({ f: "put", key: "__harness/quota/0" }),
      entry({ process: "nemesis", f: "start-partition", key: "x" }),
      entry({ type: "ok", f: "write", key: "never-invoked" }),
    ];
    expect(touchedKeys(history)).toEqual(["a2", "a3", "r1"]);
  });

  it("reads registers as `read` when their checker is the register model, and etcd `get` otherwise; the lock workload not at all", () => {
    expect(encodingOf("register", defaultWorkloadSettings)).toBe("register");
    expect(encodingOf("register", { ...defaultWorkloadSettings, casCompare: "mod-revision" })).toBe("etcd");
    expect(encodingOf("append", defaultWorkloadSettings)).toBe("etcd");
    expect(encodingOf("kubernetes", defaultWorkloadSettings)).toBe("etcd");
    expect(encodingOf("watch", defaultWorkloadSettings)).toBe("etcd");
    expect(encodingOf("lock", defaultWorkloadSettings)).toBeUndefined();
  });
});
