// The command line's contract for bad input: one line saying what is wrong, and the documented exit code.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const cli = path.resolve(import.meta.dirname, "../../../cli/main.ts");

function harness(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", env: { ...process.env, ...env }, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("harness command line", () => {
  it("lists scenarios one per line", () => {
    const result = harness(["list"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^partition-minority\s+isolate a minority without the leader/m);
    expect(result.stdout).toMatch(/^steady\s+no faults/m);
  });

  it("rejects an unknown scenario with exit 64, listing the known ones", () => {
    const result = harness(["run", "no-such-scenario"]);
    expect(result.status).toBe(64);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain('unknown scenario "no-such-scenario"; known scenarios: partition-minority');
  });

  it.each([
    [["run", "partition-minority", "--time", "soon"], "expected a duration"],
    [["run", "partition-minority", "--nodes", "4"], "runs on 3, 5, 7 members"],
    [["run", "partition-minority", "--etcd", "2.3.8"], "etcd 2.3.8 is not in a series the harness runs (3.4.x, 3.5.x, 3.6.x, 3.7.x)"],
    [["run", "partition-minority", "--etcd", "3.4.5"], "etcd 3.4.5 cannot be built here"],
    [["run", "partition-minority", "--etcd", "latest"], '"latest" is not an etcd release'],
    [["run", "partition-minority", "--etcd", "3.7.3", "--etcd-source", "."], "--etcd and --etcd-source: choose one etcd to run"],
    [["run", "partition-minority", "--etcd-binary", "/bin/etcd"], "--etcd-binary goes with --etcd-image"],
    [["run", "partition-minority", "--etcd-flag", "initial-cluster=x"], "--initial-cluster is the harness's to set"],
    [["run", "partition-minority", "--etcd-flag", "Bad Flag"], "is not an etcd flag: expected name=value"],
    [["run", "partition-minority", "--member-etcd-flag", "snapshot-count=5"], "expected member:name=value"],
    [["run", "partition-minority", "--member-etcd-flag", "n4:snapshot-count=5"], "--member-etcd-flag n4: the cluster has members n1 to n3"],
    [["run", "partition-minority", "--etcd-source", "/nonexistent-checkout"], "--etcd-source /nonexistent-checkout: not an etcd checkout (no server/go.mod)"],
    [["run", "/nonexistent/scenario.yaml"], "/nonexistent/scenario.yaml: cannot read the scenario file (ENOENT)"],
    [["show", "no-such-scenario"], 'unknown scenario "no-such-scenario"'],
    [["run", "partition-minority", "--read-mode", "eventual"], "expected one of linearizable, serializable"],
    [["run", "partition-minority", "--frobnicate"], "unknown option '--frobnicate'"],
    [["run", "partition-minority", "--tls", "peers"], "expected one of client, peer, both"],
    [["run", "partition-minority", "--auth-token", "jwt"], "--auth-token jwt: goes with --auth, which turns authentication on"],
    [["run", "partition-minority", "--client-endpoints", "some"], "expected one of member, all"],
    [["run", "steady", "--workload", "queue"], "expected one of register, append, watch, lock, kubernetes"],
    [["run", "steady", "--distribution", "pareto"], "expected one of uniform, zipf"],
    [["explode"], "unknown command 'explode'"],
    [["run", "partition-minority", "--member-etcd", "n3=2.3.8"], "etcd 2.3.8 is not in a series the harness runs"],
    [["run", "partition-minority", "--member-etcd", "n7=3.6.16"], "the cluster has members n1 to n3"],
    [["analyze", "/nonexistent-report"], "/nonexistent-report/results.json: no such file; expected the results.json of a run"],
    [["replay", "/nonexistent-report"], "/nonexistent-report/results.json: no such file; expected the results.json of a run"],
  ])("rejects %j with exit 64 and one line", (args, message) => {
    const result = harness(args);
    expect(result.status).toBe(64);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain(message);
  });

  it("exits 69 naming the fix when the Docker engine cannot be reached", () => {
    const env = { DOCKER_HOST: "unix:///tmp/etcd-harness-no-such-engine.sock" };
    const run = harness(["run", "partition-minority", "--etcd", "3.7.3"], env);
    expect(run.status).toBe(69);
    expect(run.stderr).toContain("does not answer");
    expect(run.stderr).toContain("unset DOCKER_HOST");
    const doctor = harness(["doctor"], env);
    expect(doctor.status).toBe(69);
    expect(doctor.stdout).toMatch(/^missing\s+docker engine/m);
  });
});
