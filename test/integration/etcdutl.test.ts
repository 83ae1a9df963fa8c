// etcdutl of the default release in throwaway containers: its version, a missing file, a real snapshot's status and restore, nothing left behind.
import crypto from "node:crypto";
import { Readable } from "node:stream";
import { GenericContainer, Wait, type StartedTestContainer } from "testcontainers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { etcdClient } from "../../harness/clients/etcd-client.ts";
import { runLabel } from "../../harness/cluster/docker/docker-cluster.ts";
import { runEtcdutl, untarFiles } from "../../harness/cluster/docker/etcdutl.ts";
import { docker } from "../../harness/engine/docker-engine.ts";
import { configureTestcontainers } from "../../harness/engine/testcontainers-setup.ts";
import { etcdImage, etcdutlImage, etcdVersions } from "../../harness/images/catalog.ts";
import { ensureEtcdutlImage } from "../../harness/images/run-images.ts";

const version = etcdVersions[0];
const labels = { [runLabel]: `etcdutl-test-${crypto.randomBytes(4).toString("hex")}` };
const etcdContainers: StartedTestContainer[] = [];

const leftovers = async (): Promise<string[]> =>
  (await docker().listContainers({ all: true, filters: { label: [`${runLabel}=${labels[runLabel]}`] } })).map((container) => container.Id);

/** A one-member etcd of the release, its client port published; `data` is a tar unpacked into / first. */
async function startEtcd(flags: string[], data?: Buffer): Promise<StartedTestContainer> {
  configureTestcontainers();
  let builder = new GenericContainer(etcdImage(version))
    .withCommand(["--listen-client-urls=http://0.0.0.0:2379", "--advertise-client-urls=http://127.0.0.1:2379", ...flags])
    .withExposedPorts(2379)
    .withLabels(labels)
    .withWaitStrategy(Wait.forLogMessage(/ready to serve client requests/));
  if (data) builder = builder.withCopyArchivesToContainer([{ tar: Readable.from([data]), target: "/" }]);
  const started = await builder.start();
  etcdContainers.push(started);
  return started;
}

const endpointOf = (etcd: StartedTestContainer): string => `${etcd.getHost()}:${etcd.getMappedPort(2379)}`;

beforeAll(async () => {
  await ensureEtcdutlImage(version, (line) => console.log(`[etcdutl] ${line}`));
});

afterAll(async () => {
  for (const etcd of etcdContainers) await etcd.stop().catch(() => undefined);
  // A container whose start failed is not testcontainers' to remove.
  for (const id of await leftovers()) await docker().getContainer(id).remove({ force: true, v: true });
});

describe("runEtcdutl", () => {
  it("runs the release's etcdutl and reports its exit code and output", async () => {
    const run = await runEtcdutl({ version, args: ["version"], labels });
    expect(run.exitCode, run.output).toBe(0);
    expect(run.output).toContain(`etcdutl version: ${version}`);
    expect(run.archive).toBeUndefined();
  });

  it("reports a failure as a non-zero exit with etcdutl's own words, and no archive of a path that is not there", async () => {
    const run = await runEtcdutl({ version, args: ["snapshot", "status", "/work/missing.db"], outputPath: "/work/data", labels });
    expect(run.exitCode).not.toBe(0);
    expect(run.output).toMatch(/\/work\/missing\.db: no such file or directory/);
    expect(run.archive).toBeUndefined();
  });

  it("fails after its budget, naming it", async () => {
    await expect(runEtcdutl({ version, args: ["version"], labels, timeoutMs: 1 })).rejects.toThrow(/etcdutl version did not exit within 1ms/);
  });

  it("refuses a release before 3.5, which has no etcdutl", async () => {
    expect(() => etcdutlImage("3.4.23")).toThrow(/etcdutl exists from etcd 3\.5 on/);
    await expect(runEtcdutl({ version: "3.4.23", args: ["version"], labels })).rejects.toThrow(/etcdutl exists from etcd 3\.5 on/);
  });

  it("reads a live member's snapshot and restores it into a data directory that a new member starts from", async () => {
    const source = await startEtcd(["--data-dir=/tmp/d"]);
    const client = etcdClient(endpointOf(source));
    let snapshot: Buffer;
    try {
      await client.put("runbook-key").value("before-the-snapshot");
      await client.put("runbook-key").value("second-write");
      snapshot = await new Promise<Buffer>((resolve, reject) => {
        const chunks: Buffer[] = [];
        client.maintenance
          .snapshot()
          .then((stream) => {
            stream.on("data", (response) => chunks.push(response.blob));
            stream.on("end", () => resolve(Buffer.concat(chunks)));
            stream.on("error", reject);
          })
          .catch(reject);
      });
    } finally {
      client.close();
    }
    const inputs = [{ path: "/work/snapshot.db", content: snapshot }];

    const status = await runEtcdutl({ version, args: ["snapshot", "status", "/work/snapshot.db", "-w", "json"], inputs, labels });
    expect(status.exitCode, status.output).toBe(0);
    const json = JSON.parse(status.output.slice(status.output.indexOf("{"))) as { revision: number; totalKey: number; totalSize: number };
    expect(json.revision).toBeGreaterThanOrEqual(3);
    expect(json.totalKey).toBeGreaterThanOrEqual(1);
    expect(json.totalSize).toBeGreaterThan(0);

    const peer = "http://127.0.0.1:2380";
    const restore = await runEtcdutl({
      version,
      args: ["snapshot", "restore", "/work/snapshot.db", "--data-dir", "/work/data", "--name", "r1", "--initial-cluster", `r1=${peer}`, "--initial-cluster-token", "restored", "--initial-advertise-peer-urls", peer],
      inputs,
      outputPath: "/work/data",
      labels,
    });
    expect(restore.exitCode, restore.output).toBe(0);
    const files = await untarFiles(restore.archive!);
    const paths = files.map((file) => file.path);
    expect(paths).toContain("data/member/snap/db");
    expect(files.find((file) => file.path === "data/member/snap/db")?.mode).toBe(0o600);
    expect(paths.some((file) => /^data\/member\/wal\/[0-9a-f-]+\.wal$/.test(file))).toBe(true);

    const restored = await startEtcd(
      ["--name=r1", "--data-dir=/data", `--listen-peer-urls=${peer}`, `--initial-advertise-peer-urls=${peer}`, `--initial-cluster=r1=${peer}`],
      restore.archive!,
    );
    const reader = etcdClient(endpointOf(restored));
    try {
      expect(await reader.get("runbook-key").string()).toBe("second-write");
    } finally {
      reader.close();
    }
  }, 60_000);

  it("leaves no container behind", async () => {
    for (const etcd of etcdContainers.splice(0)) await etcd.stop();
    expect(await leftovers()).toEqual([]);
  });
});
