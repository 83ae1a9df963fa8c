// Storage faults on real clusters: a follower's WAL, raft snapshot and database damaged while it is stopped; what etcd did each time, and nothing acknowledged lost.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { storageDamageSchema } from "../../record/storage-damage.ts";
import { readStoredResults } from "../../record/stored-run.ts";
import { runHarness } from "../support/harness-process.ts";

const out = fs.mkdtempSync(path.join(os.tmpdir(), "storage-faults-"));

describe("storage-corruption on 3.7.3", () => {
  it("damages each kind of file, accounts for what etcd did with each, replaces the members it refused, and ends valid with nothing acknowledged lost", async () => {
    const run = await runHarness(["run", "storage-corruption", "--etcd", "3.7.3", "--seed", "3", "--out", out], 600_000);
    expect(run.code, run.stderr).toBe(0);
    const results = readStoredResults(run.runDir!);
    expect(results.checkers["durability"]?.verdict).toBe("valid");
    expect(results.checkers["convergence"]?.verdict).toBe("valid");
    const damages = results.faults.map((fault) => ({ fault: fault.fault, params: fault.params, damage: storageDamageSchema.parse(fault.details) }));
    expect(damages.map(({ fault, params }) => `${fault} ${String(params["file"] ?? "wal")}`)).toEqual(["bitflip wal", "bitflip snap", "bitflip db", "wal-truncate wal"]);
    for (const { damage } of damages) {
      expect(damage.damaged).toBe(true);
      expect(["refused-to-start", "corrupt-alarm", "rejoined"]).toContain(damage.outcome);
      // A member etcd would not take back is replaced; one it took back kept the others' data.
      if (damage.outcome === "rejoined") expect(new Set(Object.values(damage.hashKV!.hashes)).size).toBe(1);
      else expect(damage.healedBy).toMatch(/^replaced: \d+ -> \d+$/);
      if (damage.outcome === "refused-to-start") expect(damage.reason).toBeTruthy();
    }
    const corruption = results.checkers["corruption"]!;
    expect(corruption.verdict).toBe("valid");
    expect((corruption["accounts"] as unknown[]).length).toBe(4);
    // The members ran etcd's corruption checks: the initial one at each start, the leader's periodic one.
    const logs = ["n1", "n2", "n3"].map((member) => fs.readFileSync(path.join(run.runDir!, "nodes", `${member}.log`), "utf8")).join("\n");
    expect(logs).toContain("initial corruption checking passed; no corruption");
    expect(logs).toContain("finished peer corruption check");
  }, 600_000);
});
