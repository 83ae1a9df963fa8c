// Power loss: the file system under each member holds writes until fsync and loses them when killed; members that lose power come back on what reached their disks.
import { spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ensurePowerlossFs } from "../../harness/images/powerloss-fs.ts";
import { readStoredResults } from "../../record/stored-run.ts";
import { runHarness } from "../support/harness-process.ts";

const out = fs.mkdtempSync(path.join(os.tmpdir(), "power-loss-"));
const mounts: string[] = [];

afterAll(() => {
  for (const mount of mounts) {
    try {
      execFileSync("umount", ["-l", mount], { stdio: "ignore" });
    } catch {
      // Not mounted any more.
    }
  }
});

const pending = async (control: string): Promise<{ files: number; bytes: number }> => (await fetch(`http://${control}/pending`)).json() as Promise<{ files: number; bytes: number }>;

describe("the power-loss file system", () => {
  it("holds what was written until fsync, and a kill loses exactly what was not fsynced", async () => {
    const binary = await ensurePowerlossFs(() => undefined);
    const backing = path.join(out, "disk");
    const mount = path.join(out, "mnt");
    mounts.push(mount);
    const control = "127.0.0.1:22399";
    // detached: its own process group, so the command it runs dies with it below.
    const daemon = spawn(binary, [backing, mount, control, "--", "sleep", "120"], { stdio: ["ignore", "ignore", "pipe"], detached: true });
    let said = "";
    daemon.stderr!.on("data", (chunk: Buffer) => (said += chunk.toString()));
    for (let tries = 0; !said.includes("mounted") && tries < 100; tries++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(said).toContain(`${mount} mounted over ${backing}`);

    const synced = path.join(mount, "synced.wal");
    const fd = fs.openSync(synced, "w");
    fs.writeSync(fd, "entry 1\n");
    fs.fsyncSync(fd);
    fs.writeSync(fd, "entry 2\n");
    fs.closeSync(fd);
    fs.writeFileSync(path.join(mount, "unsynced.db"), "never fsynced\n");
    // Through the mount every write shows; on the disk only what was fsynced.
    expect(fs.readFileSync(synced, "utf8")).toBe("entry 1\nentry 2\n");
    expect(fs.statSync(synced).size).toBe(16);
    expect(fs.readFileSync(path.join(backing, "synced.wal"), "utf8")).toBe("entry 1\n");
    expect(fs.readFileSync(path.join(backing, "unsynced.db"), "utf8")).toBe("");
    expect(await pending(control)).toEqual({ files: 2, bytes: 8 + 14 });

    process.kill(-daemon.pid!, "SIGKILL");
    await new Promise((resolve) => daemon.on("exit", resolve));
    expect(fs.readFileSync(path.join(backing, "synced.wal"), "utf8")).toBe("entry 1\n");
    expect(fs.readFileSync(path.join(backing, "unsynced.db"), "utf8")).toBe("");
  }, 120_000);
});

describe("power-loss-majority", () => {
  it("cuts a majority's power with writes not yet fsynced; they come back on their disks and nothing acknowledged is lost", async () => {
    const run = await runHarness(["run", "power-loss-majority", "--seed", "5", "--out", out], 300_000);
    expect(run.code, run.stderr).toBe(0);
    const results = readStoredResults(run.runDir!);
    expect(results.checkers["durability"]?.verdict).toBe("valid");
    expect(results.faults.length).toBeGreaterThanOrEqual(2);
    for (const fault of results.faults) {
      expect(fault.targets).toHaveLength(2);
      expect(fault.signs).toEqual([{ kind: "measured", held: true, what: expect.stringMatching(/^power cut: /) }]);
    }
    const cut = results.faults.flatMap((fault) => Object.values(fault.details["unsynced"] as Record<string, { bytes: number } | null>));
    expect(cut.some((unsynced) => (unsynced?.bytes ?? 0) > 0)).toBe(true);
  }, 300_000);
});
