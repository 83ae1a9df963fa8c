// One harness across etcd releases: partition-minority on every release set-up builds, and a mixed cluster.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startCluster } from "../../harness/cluster/docker/docker-cluster.ts";
import { etcdVersions } from "../../harness/images/catalog.ts";
import { prepareRunEnvironment } from "../../harness/images/run-images.ts";
import { startHarness } from "../support/harness-process.ts";

const out = (): string => fs.mkdtempSync(path.join(os.tmpdir(), "harness-versions-"));

describe("etcd releases", () => {
  it.each(etcdVersions.map((version) => [version]))("partition-minority ends valid on etcd %s", async (version) => {
    const run = startHarness(["run", "partition-minority", "--etcd", version, "--time", "14s", "--out", out(), "--json"]);
    const { code } = await run.exit;
    expect(code, run.stderr()).toBe(0);
    const results = JSON.parse(run.stdout());
    expect(results.etcd).toBe(version);
    for (const fault of results.faults) expect(fault.tookEffect, fault.evidence).toBe(true);
  });

  it("a mixed cluster runs each member on its release, one a minor version behind, and stays valid", async () => {
    await prepareRunEnvironment(["3.7.3", "3.6.16"], () => undefined);
    const cluster = await startCluster({ size: 3, etcdVersion: "3.7.3", memberVersions: { n3: "3.6.16" } });
    try {
      const versions = [...(await cluster.statuses(2000)).values()].map((status) => (status instanceof Error ? status.message : status.version));
      expect(versions).toEqual(["3.7.3", "3.7.3", "3.6.16"]);
    } finally {
      await cluster.stop();
    }
    const run = startHarness(["run", "partition-minority", "--etcd", "3.7.3", "--member-etcd", "n3=3.6.16", "--time", "14s", "--out", out(), "--json"]);
    const { code } = await run.exit;
    expect(code, run.stderr()).toBe(0);
    expect(JSON.parse(run.stdout()).memberVersions).toEqual({ n3: "3.6.16" });
  });
});
