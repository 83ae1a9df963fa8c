// `harness check` as a user runs it: real processes, exit codes, one JSON object per file.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { referenceHistoriesDir } from "../../support/reference-histories.ts";

const cli = fileURLToPath(new URL("../../../cli/main.ts", import.meta.url));
const data = `${referenceHistoriesDir()}/`;
const run = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};
const dir = mkdtempSync(join(tmpdir(), "harness-check-"));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

// Every test starts real processes; on two busy cores five of them can take longer than vitest's 5 s default.
describe("harness check", { timeout: 30_000 }, () => {
  it("prints one JSON object per file and exits 1 when any is invalid", async () => {
    const { code, stdout } = await run("check", `${data}jepsen-etcd/etcd_000.log`, `${data}jepsen-etcd/etcd_002.log`, `${data}kv/c10-ok.txt`, "--json");
    expect(code).toBe(1);
    const lines = stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.verdict, l.ops, l.format, l.model])).toEqual([
      ["invalid", 85, "jepsen-log", "register"],
      ["valid", 77, "jepsen-log", "register"],
      ["valid", 337, "edn", "kv"],
    ]);
    expect(lines[0].invalid[0].blocked.description).toMatch(/^read\(\)/);
    expect(typeof lines[0].elapsedMs).toBe("number");
  });

  it("exits 0 when every file is valid, 2 when one is unknown", async () => {
    expect((await run("check", `${data}jepsen-etcd/etcd_002.log`)).code).toBe(0);
    const rows: string[] = [];
    for (let p = 0; p < 14; p++) rows.push(JSON.stringify({ index: p, time: 0, process: p, type: "invoke", f: "append", key: "k", value: `t${p}` }));
    rows.push('{"index":14,"time":1,"process":99,"type":"invoke","f":"get","key":"k","value":null}');
    const shown = Array.from({ length: 14 }, (_, p) => `t${p}`).join("") + "!";
    rows.push(JSON.stringify({ index: 15, time: 2, process: 99, type: "ok", f: "get", key: "k", value: shown }));
    const hard = file("hard.jsonl", rows.join("\n"));
    const { code, stdout } = await run("check", hard, "--timeout", "200ms", "--json");
    expect(code).toBe(2);
    expect(JSON.parse(stdout).unknown[0].reason).toBe("timeout");
  });

  it("names file:line of a malformed entry and exits 64", async () => {
    const bad = file("bad.jsonl", '{"index":0,"time":0,"process":1,"type":"invoke","f":"cas","value":3}\n{"index":1,"time":1,"process":1,"type":"ok","f":"cas","value":3}\n');
    const { code, stderr, stdout } = await run("check", bad, "--json");
    expect(code).toBe(64);
    expect(stdout).toBe("");
    expect(stderr.trim()).toBe(`${bad}:1: cas needs value [from, to], got 3 (register model)`);
    const garbage = file("garbage.log", "INFO  jepsen.util - 2\t:invoke\t:read\tnil\nINFO  jepsen.util - 2\t:ok\t:read\t[1\n");
    expect((await run("check", garbage)).stderr).toMatch(/garbage\.log:2: expected a Jepsen log line/);
  });

  it("checks a history whose last line was cut off mid-write up to its last whole line, saying so; a broken line elsewhere is still an error", async () => {
    const rows = [
      '{"index":0,"time":0,"process":1,"type":"invoke","f":"write","key":"k","value":1}',
      '{"index":1,"time":1,"process":1,"type":"ok","f":"write","key":"k","value":1}',
      '{"index":2,"time":2,"process":2,"type":"invoke","f":"read","key":"k","value":null}',
      '{"index":3,"time":3,"process":2,"type":"ok","f":"read","key":"k","value":1}',
    ];
    const cut = file("cut.jsonl", `${rows.join("\n")}\n{"index":4,"time":4,"proc`);
    const { code, stdout, stderr } = await run("check", cut, "--json");
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout).ops).toBe(2);
    expect(stderr.trim()).toBe(`harness: ${cut}:5: the last line (5) was cut off, as by a run that died while writing it; read the 4 entries before it`);
    const broken = file("broken.jsonl", `${rows[0]}\n{"index":1,"time":1,"proc\n${rows.slice(2).join("\n")}\n`);
    const refused = await run("check", broken);
    expect(refused.code).toBe(64);
    expect(refused.stderr).toMatch(/broken\.jsonl:2: expected a JSON object like .*; not JSON/);
  });

  it("names transactional anomalies in Jepsen's EDN list-append and rw-register histories, by the consistency model asked for", async () => {
    const edn = (lines: string[]) => lines.map((line, i) => line.replace("}", `, :index ${i}, :time ${i}}`)).join("\n");
    // Write skew: each transaction read the key the other appended to, before the other's append.
    const skew = file("skew.edn", edn([
      "{:type :invoke, :f :txn, :value [[:r 1 nil] [:append 2 1]], :process 0}",
      "{:type :invoke, :f :txn, :value [[:r 2 nil] [:append 1 1]], :process 1}",
      "{:type :ok, :f :txn, :value [[:r 1 []] [:append 2 1]], :process 0}",
      "{:type :ok, :f :txn, :value [[:r 2 []] [:append 1 1]], :process 1}",
      "{:type :invoke, :f :txn, :value [[:r 1 nil] [:r 2 nil]], :process 2}",
      "{:type :ok, :f :txn, :value [[:r 1 [1]] [:r 2 [1]]], :process 2}",
    ]));
    const strict = await run("check", skew, "--json");
    expect(strict.code, strict.stderr).toBe(1);
    const report = JSON.parse(strict.stdout);
    expect(report).toMatchObject({ verdict: "invalid", format: "edn", model: "elle-append", consistency: "strict-serializable", counts: { "G2-item": 1 }, ruledOut: ["strict-serializable", "serializable"] });
    expect(report.anomalies[0]).toMatchObject({ kind: "G2-item", ops: [0, 1] });
    expect(report.anomalies[0].explanation).toBe(
      "T0 < T1 because T0 read key 1 empty, without T1's append of 1, which came next; T1 < T0 because T1 read key 2 empty, without T0's append of 1, which came next; a contradiction",
    );
    const snapshot = await run("check", skew, "--consistency", "snapshot-isolation");
    expect(snapshot.code, snapshot.stderr).toBe(0);
    expect(snapshot.stdout).toMatch(/: valid \(elle-append, snapshot-isolation, 3 transactions, 0 uncertain, .*\)\n  rules out: strict-serializable, serializable\n  also found, allowed by snapshot-isolation: G2-item/);

    const register = file("wr.edn", edn([
      "{:type :invoke, :f :txn, :value [[:w 1 1] [:r 2 nil]], :process 0}",
      "{:type :invoke, :f :txn, :value [[:w 2 1] [:r 1 nil]], :process 1}",
      "{:type :ok, :f :txn, :value [[:w 1 1] [:r 2 1]], :process 0}",
      "{:type :ok, :f :txn, :value [[:w 2 1] [:r 1 1]], :process 1}",
    ]));
    const wr = await run("check", register, "--json");
    expect(wr.code).toBe(1);
    expect(JSON.parse(wr.stdout)).toMatchObject({ model: "elle-wr", counts: { G1c: 1 } });

    const malformed = file("bad.edn", "{:type :invoke, :f :txn, :value [[:append 1]], :process 0}\n");
    const refused = await run("check", malformed, "--model", "elle-append");
    expect(refused.code).toBe(64);
    expect(refused.stderr.trim()).toBe(`${malformed}:1: a micro-operation must be [f, key, value], got ["append",1] (elle-append)`);
  });

  it("exits 64 on usage errors", async () => {
    expect((await run("check", "--bogus", "x")).code).toBe(64);
    expect((await run("check", "x", "--timeout", "soon")).code).toBe(64);
    expect((await run("check", "x", "--format", "xml")).code).toBe(64);
    expect((await run("check", "x", "--consistency", "eventual")).code).toBe(64);
    expect((await run("check")).code).toBe(64);
    expect((await run("check", join(dir, "missing.jsonl"))).code).toBe(64);
  });
});
