// startEtcdCluster with no Docker engine answering: one line naming the engine and the fix, exit code 69 on the error, nothing started.
import { afterEach, describe, expect, it } from "vitest";
import { startEtcdCluster } from "../../../testkit/start-etcd-cluster.ts";

const saved = process.env["DOCKER_HOST"];
afterEach(() => {
  if (saved === undefined) delete process.env["DOCKER_HOST"];
  else process.env["DOCKER_HOST"] = saved;
});

describe("startEtcdCluster", () => {
  it("rejects with one line naming the engine that does not answer and what to do", async () => {
    process.env["DOCKER_HOST"] = "unix:///nonexistent/docker.sock";
    const lines: string[] = [];
    const started = startEtcdCluster({ log: (line) => lines.push(line) });
    await expect(started).rejects.toThrow(/^Docker engine at DOCKER_HOST=unix:\/\/\/nonexistent\/docker\.sock does not answer \(.+\); start it or unset DOCKER_HOST$/);
    await expect(started).rejects.toMatchObject({ exitCode: 69 });
    expect(lines).toEqual([]);
  });
});
