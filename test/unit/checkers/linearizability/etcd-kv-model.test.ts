// The etcd KV model's semantics: get/put/delete, txn compares on value and revisions, revisions in responses.
import { describe, expect, it } from "vitest";
import type { HistoryEntry } from "../../../../record/history/entry.ts";
import { checkHistory, etcdKvModel } from "../../../../checkers/linearizability/index.ts";

type Row = { p: number; type: HistoryEntry["type"]; f: string; key?: string; value?: unknown; revision?: number };

/** Sequential operations unless times say otherwise: each row gets the next time. */
function history(rows: Row[]): HistoryEntry[] {
  return rows.map((r, index) => {
    const entry: HistoryEntry = { index, time: index, process: r.p, type: r.type, f: r.f };
    if (r.key !== undefined) entry.key = r.key;
    if (r.value !== undefined) entry.value = r.value;
    if (r.revision !== undefined) entry.revision = r.revision;
    return entry;
  });
}

function op(p: number, f: string, key: string | undefined, invoke: unknown, ok: unknown, revision?: number): Row[] {
  return [
    { p, type: "invoke", f, key, value: invoke },
    { p, type: "ok", f, key, value: ok, revision },
  ];
}

const verdict = (rows: Row[]) => checkHistory(history(rows), etcdKvModel()).verdict;

describe("etcd KV model", () => {
  it("tracks revisions across keys: each put, each delete of a present key, each writing txn adds one", () => {
    expect(
      verdict([
        ...op(0, "put", "a", "1", null, 5),
        ...op(0, "put", "b", "1", null, 6),
        ...op(0, "delete", "c", null, { deleted: 0 }, 6),
        ...op(0, "delete", "a", null, { deleted: 1 }, 7),
        ...op(0, "get", "b", null, { value: "1", modRevision: 6, createRevision: 6, version: 1 }, 7),
        ...op(0, "get", "a", null, null, 7),
      ]),
    ).toBe("valid");
    expect(verdict([...op(0, "put", "a", "1", null, 5), ...op(0, "put", "b", "1", null, 7)])).toBe("invalid");
    expect(verdict([...op(0, "put", "a", "1", null, 5), ...op(0, "get", "a", null, { value: "1", modRevision: 4 }, 5)])).toBe("invalid");
  });

  it("evaluates txn compares on value, version and mod revision, and checks the branch's results", () => {
    const txn = (compare: unknown[]) => ({ compare, success: [{ f: "put", key: "a", value: "2" }, { f: "get", key: "a" }], failure: [{ f: "get", key: "a" }] });
    const base = op(0, "put", "a", "1", null, 10);
    expect(verdict([...base, ...op(0, "txn", undefined, txn([{ key: "a", target: "value", op: "=", value: "1" }]), { succeeded: true, results: [null, { value: "2", modRevision: 11, version: 2 }] }, 11)])).toBe("valid");
    expect(verdict([...base, ...op(0, "txn", undefined, txn([{ key: "a", target: "mod", op: "=", value: 10 }]), { succeeded: true }, 11)])).toBe("valid");
    expect(verdict([...base, ...op(0, "txn", undefined, txn([{ key: "a", target: "version", op: ">", value: 1 }]), { succeeded: false, results: [{ value: "1" }] }, 10)])).toBe("valid");
    // Comparing the value of an absent key is false.
    expect(verdict(op(0, "txn", undefined, txn([{ key: "b", target: "value", op: "!=", value: "x" }]), { succeeded: true }))).toBe("invalid");
    expect(verdict([...base, ...op(0, "txn", undefined, txn([{ key: "a", target: "value", op: "=", value: "1" }]), { succeeded: false })])).toBe("invalid");
  });

  it("lets an uncertain put land later, shifting revisions, or never", () => {
    const rows: Row[] = [
      ...op(0, "put", "a", "1", null, 2),
      { p: 1, type: "invoke", f: "put", key: "a", value: "2" },
      { p: 1, type: "info", f: "put", key: "a", value: "2" },
      ...op(0, "get", "a", null, { value: "1", modRevision: 2 }, 2),
      ...op(0, "get", "a", null, { value: "2", modRevision: 3 }, 3),
    ];
    expect(verdict(rows)).toBe("valid");
    expect(verdict(rows.slice(0, 6))).toBe("valid");
    const skipped = [...rows.slice(0, 6), ...op(0, "get", "a", null, { value: "2", modRevision: 4 }, 4)];
    expect(verdict(skipped)).toBe("invalid");
  });

  it("binds a revision to the write a response shows there, and keeps uncertain writes off known revisions", () => {
    const info = (p: number, key: string, value: string): Row[] => [
      { p, type: "invoke", f: "put", key, value },
      { p, type: "info", f: "put", key, value },
    ];
    const rows: Row[] = [...op(0, "put", "a", "1", null, 2), ...info(1, "b", "x"), ...info(2, "c", "y")];
    expect(verdict([...rows, ...op(0, "get", "b", null, { value: "x", modRevision: 3 }, 3)])).toBe("valid");
    expect(verdict([...rows, ...op(0, "get", "c", null, { value: "y", modRevision: 3 }, 3)])).toBe("valid");
    expect(verdict([...rows, ...op(0, "get", "b", null, { value: "x", modRevision: 4 }, 4), ...op(0, "get", "c", null, { value: "y", modRevision: 3 }, 4)])).toBe("valid");
    // Revision 3 is the ok put's, so neither uncertain put can have it.
    expect(verdict([...rows, ...op(0, "put", "a", "2", null, 3), ...op(0, "get", "b", null, { value: "x", modRevision: 3 }, 3)])).toBe("invalid");
  });

  it("decides an uncertain txn's revision compare before the first revision is known when the number is below any revision", () => {
    const exists = { compare: [{ key: "a", target: "create", op: ">", value: 0 }], success: [{ f: "put", key: "a", value: "2" }], failure: [] };
    const rows: Row[] = [
      { p: 1, type: "invoke", f: "put", key: "a", value: "1" },
      { p: 1, type: "info", f: "put", key: "a", value: "1" },
      { p: 2, type: "invoke", f: "txn", value: exists },
      { p: 2, type: "info", f: "txn", value: exists },
      ...op(0, "get", "a", null, { value: "2", version: 2 }, 3),
    ];
    // Without settling (which would place the txn from the read), the search alone must find the order.
    expect(checkHistory(history(rows), { ...etcdKvModel(), settle: undefined }).verdict).toBe("valid");
  });

  it("splits by key only when no revision is recorded", () => {
    const model = etcdKvModel();
    const noRevisions = history([...op(0, "put", "a", "1", null), ...op(1, "put", "b", "1", null)]);
    expect(checkHistory(noRevisions, model).partitions).toHaveLength(2);
    const withRevisions = history([...op(0, "put", "a", "1", null, 2), ...op(1, "put", "b", "1", null, 3)]);
    expect(checkHistory(withRevisions, etcdKvModel()).partitions).toHaveLength(1);
  });
});
