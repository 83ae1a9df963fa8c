// Secure clusters and real client topologies: TLS on both links with auth, clients given every member, and the auth checker catching etcd issue 14571.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { noop } from "cockatiel";
import { Etcd3 } from "etcd3";
import { describe, expect, it } from "vitest";
import { startCluster } from "../../harness/cluster/docker/docker-cluster.ts";
import { HarnessError } from "../../harness/errors.ts";
import { adminGet } from "../../harness/clients/admin-http.ts";
import { deadline, etcdClient } from "../../harness/clients/etcd-client.ts";
import { defaultEtcdVersion } from "../../harness/images/run-images.ts";
import type { HistoryEntry } from "../../record/history/entry.ts";
import { readHistoryFile } from "../../record/history/history-file.ts";
import { startHarness } from "../support/harness-process.ts";

const put = (client: Etcd3, key: string) => client.kv.put({ key: Buffer.from(key), value: Buffer.from("v") }, deadline(3000));

describe("secure clusters", () => {
  it("harness run partition-minority --tls both --auth ends valid; outside writes are recorded as fail and the auth checker stays valid", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "harness-secure-"));
    const run = startHarness(["run", "partition-minority", "--tls", "both", "--auth", "--time", "16s", "--seed", "7", "--out", out, "--json"]);
    const { code } = await run.exit;
    expect(code, run.stderr()).toBe(0);
    const results = JSON.parse(run.stdout());
    expect(results.settings).toMatchObject({ tls: "both", auth: "simple" });
    for (const [name, result] of Object.entries(results.checkers)) expect((result as { verdict: string }).verdict, name).toBe("valid");
    expect(results.checkers.auth).toMatchObject({ permissionRefusals: 0 });
    expect(results.checkers.auth.outsideRefused).toBeGreaterThanOrEqual(10);
    expect(results.checkers.linearizability.operations).toBeGreaterThan(500);
    expect(run.stderr()).toContain("access: TLS on client and peer links, auth (simple tokens), each client on one member");

    const reportDir = path.join(out, fs.readdirSync(out)[0]!);
    const history = (await readHistoryFile(path.join(reportDir, "history.jsonl"), "jsonl")).entries;
    const outside = history.filter((entry) => entry.f === "outside-write" && entry.type !== "invoke");
    expect(new Set(outside.map((entry) => entry.node))).toEqual(new Set(["n1", "n2", "n3"]));
    for (const entry of outside.filter((candidate) => candidate.type !== "info")) expect(entry).toMatchObject({ type: "fail", error: expect.stringContaining("permission denied") });
    // The workload's keys live under its prefix; the certificates and passwords went with the cluster.
    expect(history.filter((entry) => entry.f === "write" && entry.type === "invoke").every((entry) => entry.key?.startsWith("/workload/"))).toBe(true);
    expect(fs.existsSync(path.join(reportDir, "private"))).toBe(false);
    expect(fs.readFileSync(path.join(reportDir, "index.html"), "utf8")).toContain("TLS on client and peer links, auth (simple tokens)");
  }, 300_000);

  it("refuses a plain-text client, a TLS client without a certificate, and the workload's user outside its prefix", async () => {
    const secrets = fs.mkdtempSync(path.join(os.tmpdir(), "harness-secrets-"));
    await using cluster = await startCluster({ size: 3, etcdVersion: await defaultEtcdVersion(), tls: "both", auth: { token: "jwt", prefix: "/workload/" }, secretsDir: path.join(secrets, "private") });
    expect(fs.readdirSync(path.join(secrets, "private"))).toEqual(expect.arrayContaining(["ca.pem", "client-workload.pem", "n1-peer.pem", "jwt-key.pem", "passwords.json"]));
    const member = cluster.member("n1");

    const plain = etcdClient(member.adminEndpoint, { dialTimeoutMs: 1000 });
    await expect(put(plain, "/workload/plain")).rejects.toThrow();
    plain.close();
    const ca = member.adminTls!.ca;
    const noCertificate = new Etcd3({ hosts: `https://${member.adminEndpoint}`, credentials: { rootCertificate: Buffer.from(ca) }, dialTimeout: 1000, faultHandling: { host: () => noop, global: noop } });
    await expect(put(noCertificate, "/workload/no-cert")).rejects.toThrow();
    noCertificate.close();
    await expect(fetch(`http://${member.adminEndpoint}/metrics`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();

    const workload = cluster.client("n2");
    try {
      await put(workload, "/workload/inside");
      await expect(put(workload, "/elsewhere")).rejects.toThrow(/permission denied/);
      await expect(workload.get("/workload/inside").string()).resolves.toBe("v");
    } finally {
      workload.close();
    }
    // The harness's own calls go as root over TLS: metrics, and members that list each other's https peer URLs.
    expect(await adminGet(member, "/metrics", 2000)).toContain("etcd_server_has_leader 1");
    const members = await member.admin.cluster.memberList({}, deadline(3000));
    for (const listed of members.members) expect(listed.peerURLs.every((url) => url.startsWith("https://peer-"))).toBe(true);
  }, 180_000);

  it("names the member and the reason when a member cannot use its certificate at start (exit 69)", async () => {
    // A CA certificate given as the member's key: etcd refuses to start on it.
    const start = startCluster({ size: 3, etcdVersion: await defaultEtcdVersion(), tls: "client", etcdFlags: ["--key-file=/etc/etcd-harness/ca.pem"], startupTimeoutMs: 8000 });
    const error = await start.then(
      () => undefined,
      (failure: unknown) => failure as HarnessError,
    );
    expect(error).toBeInstanceOf(HarnessError);
    expect(error!.exitCode).toBe(69);
    expect(error!.message).toMatch(/^TLS: members did not become healthy; n\d: .*(key|certificate|PEM)/i);
  }, 120_000);

  it("harness run kill-leader --client-endpoints all ends valid, and its clients move to other members after each kill", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "harness-all-endpoints-"));
    const run = startHarness(["run", "kill-leader", "--client-endpoints", "all", "--time", "16s", "--seed", "3", "--out", out, "--json"]);
    const { code } = await run.exit;
    expect(code, run.stderr()).toBe(0);
    const results = JSON.parse(run.stdout());
    for (const [name, result] of Object.entries(results.checkers)) expect((result as { verdict: string }).verdict, name).toBe("valid");
    const history = (await readHistoryFile(path.join(out, fs.readdirSync(out)[0]!, "history.jsonl"), "jsonl")).entries;
    // Final reads go through each member by design; the rest is the workload's clients.
    const finalReaders = new Set<number>(results.probes.finalReads.processes);
    const workload = history.filter((entry) => entry.process !== "nemesis" && !finalReaders.has(entry.process));
    // Invocations name no member; completions name the member etcd3 sent the call to.
    expect(workload.filter((entry) => entry.type === "invoke").every((entry) => entry.node === undefined)).toBe(true);
    const completions = workload.filter((entry) => entry.type !== "invoke");
    expect(completions.filter((entry) => entry.node !== undefined).length).toBeGreaterThan(completions.length * 0.95);

    const kill = results.faults[0] as { targets: string[]; effective: number; healStart: number };
    const killed = kill.targets[0]!;
    const okOn = (entry: HistoryEntry, from: number, to: number) => entry.type === "ok" && entry.time >= from && entry.time < to;
    const duringKill = completions.filter((entry) => okOn(entry, kill.effective + 1e9, kill.healStart));
    // Nothing is answered by the killed member while it is down ...
    expect(duringKill.length).toBeGreaterThan(20);
    expect(duringKill.filter((entry) => entry.node === killed)).toEqual([]);
    // ... and a client whose call the killed member refused (etcd3 picked it) goes on through another member.
    const refusedThere = completions.filter((entry) => entry.type === "fail" && entry.node === killed && entry.time >= kill.effective && entry.time < kill.healStart);
    const movedOn = refusedThere.filter((refusal) => completions.some((entry) => entry.process === refusal.process && entry.time > refusal.time && entry.type === "ok" && entry.node !== killed));
    expect(movedOn.length, `${refusedThere.length} calls refused by ${killed}`).toBeGreaterThanOrEqual(1);
  }, 300_000);

  it("etcd-14571 on 3.5.5: the replaced member, restored from a snapshot, refuses the workload's user; the auth checker names it", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "harness-14571-"));
    const run = startHarness(["run", "etcd-14571", "--seed", "1", "--out", out, "--json"]);
    const { code } = await run.exit;
    expect(code, run.stderr()).toBe(1);
    const results = JSON.parse(run.stdout());
    expect(results.etcd).toBe("3.5.5");
    const replaced = (results.faults as Array<{ fault: string; targets: string[] }>).find((fault) => fault.fault === "member-replace")!.targets[0];
    expect(results.checkers.auth.verdict).toBe("invalid");
    expect(results.checkers.auth.anomalies[0]).toMatchObject({ kind: "permission-lost", members: [replaced] });
    expect(results.checkers.auth.anomalies[0].explanation).toContain(`member-replace of ${replaced}`);
  }, 400_000);
});
