// Failpoint faults in pure logic: where a member died, which crash points a random schedule draws, and which builds have failpoints.
import { describe, expect, it } from "vitest";
import { demultiplexed } from "../../../harness/cluster/docker/container-control.ts";
import { HarnessError } from "../../../harness/errors.ts";
import { etcdImage, versionOfImage } from "../../../harness/images/catalog.ts";
import { compareReleases, parseRelease, releaseOf, releaseSource } from "../../../harness/images/etcd-releases.ts";
import { crashPointNamed, crashPoints } from "../../../nemesis/failpoint-catalog.ts";
import { failpointPanicIn } from "../../../nemesis/failpoint-panic.ts";
import { nemesisNamed } from "../../../nemesis/registry.ts";
import { requireFailpoints } from "../../../runner/etcd-request.ts";
import { scheduleForSeed } from "../../../scenarios/random-schedule.ts";
import { scenarioNamed } from "../../../scenarios/registry.ts";

// What etcd 3.7.3 printed when raftBeforeSave was armed with panic (the stack's goroutine and offsets as they came).
const crashOutput = [
  '{"level":"info","ts":"2026-12-02T00:44:50.927051Z","caller":"embed/serve.go:219","msg":"serving client traffic insecurely"}',
  "panic: failpoint panic: {}",
  "",
  "goroutine 164 [running]:",
  "go.etcd.io/gofail/runtime.actPanic(0x0?)",
  "\tgo.etcd.io/gofail@v0.2.0/runtime/terms.go:324 +0xc5",
  "go.etcd.io/gofail/runtime.(*term).do(...)",
  "\tgo.etcd.io/gofail@v0.2.0/runtime/terms.go:293",
  "go.etcd.io/gofail/runtime.(*terms).eval(0x3639712f1810)",
  "\tgo.etcd.io/gofail@v0.2.0/runtime/terms.go:108 +0xde",
  "go.etcd.io/gofail/runtime.(*Failpoint).Acquire(0x363970b4a000?)",
  "\tgo.etcd.io/gofail@v0.2.0/runtime/failpoint.go:45 +0x6e",
  "go.etcd.io/etcd/server/v3/etcdserver.(*raftNode).start.func1()",
  "\tgo.etcd.io/etcd/server/v3@v3.7.3/etcdserver/raft.go:255 +0x985",
  "created by go.etcd.io/etcd/server/v3/etcdserver.(*raftNode).start in goroutine 146",
  "\tgo.etcd.io/etcd/server/v3@v3.7.3/etcdserver/raft.go:177 +0x6f",
].join("\n");

describe("where a member died", () => {
  it("is gofail's panic and the etcd line the failpoint sits on", () => {
    expect(failpointPanicIn(crashOutput)).toEqual({ message: "panic: failpoint panic: {}", at: "etcdserver/raft.go:255", function: "etcdserver.(*raftNode).start.func1" });
  });

  it("is the last crash in an output that holds several", () => {
    const second = crashOutput.replace("etcdserver.(*raftNode).start.func1()", "storage/mvcc.(*store).scheduleCompaction(0x1, 0x2)").replace("etcdserver/raft.go:255", "storage/mvcc/kvstore_compaction.go:68");
    expect(failpointPanicIn(`${crashOutput}\n${second}`)).toMatchObject({ at: "storage/mvcc/kvstore_compaction.go:68", function: "storage/mvcc.(*store).scheduleCompaction" });
  });

  it("is etcd's fatal entry when etcd recovered the panic itself, as defragmentation does", () => {
    const stack = [
      "go.etcd.io/etcd/server/v3/storage/backend.(*backend).defrag.func2",
      "\tgo.etcd.io/etcd/server/v3@v3.7.3/storage/backend/backend.go:547",
      "runtime.gopanic",
      "\truntime/panic.go:860",
      "go.etcd.io/gofail/runtime.actPanic",
      "\tgo.etcd.io/gofail@v0.2.0/runtime/terms.go:324",
      "go.etcd.io/gofail/runtime.(*Failpoint).Acquire",
      "\tgo.etcd.io/gofail@v0.2.0/runtime/failpoint.go:45",
      "go.etcd.io/etcd/server/v3/storage/backend.(*backend).defrag",
      "\tgo.etcd.io/etcd/server/v3@v3.7.3/storage/backend/backend.go:571",
    ].join("\n");
    const fatal = JSON.stringify({ level: "fatal", caller: "backend/backend.go:547", msg: "unexpected panic during defrag", panic: "failpoint panic: {}", stacktrace: stack });
    expect(failpointPanicIn(`${crashOutput}\n${fatal}`)).toEqual({
      message: "unexpected panic during defrag: failpoint panic: {}",
      at: "storage/backend/backend.go:571",
      function: "storage/backend.(*backend).defrag",
    });
  });

  it("is no failpoint when etcd died of anything else, or did not die", () => {
    expect(failpointPanicIn(crashOutput.replace("panic: failpoint panic: {}", "panic: runtime error: index out of range"))).toBeUndefined();
    expect(failpointPanicIn('{"level":"info","msg":"received signal; shutting down"}')).toBeUndefined();
  });

  it("is read from the engine's multiplexed log frames", () => {
    const frame = (stream: number, text: string): Buffer => {
      const header = Buffer.alloc(8);
      header[0] = stream;
      header.writeUInt32BE(Buffer.byteLength(text), 4);
      return Buffer.concat([header, Buffer.from(text)]);
    };
    expect(demultiplexed(Buffer.concat([frame(1, "serving\n"), frame(2, "panic: failpoint panic: {}\n")]))).toBe("serving\npanic: failpoint panic: {}\n");
  });
});

describe("failpoints builds", () => {
  it("are named <release>+failpoints, tagged <release>-failpoints, and come from the release's Go module", () => {
    expect(parseRelease("v3.6.16+failpoints")).toEqual({ version: "3.6.16+failpoints" });
    expect(parseRelease("3.6.16+gofail")).toHaveProperty("error");
    expect(releaseOf("3.7.0-rc.0+failpoints")).toEqual({ release: "3.7.0-rc.0", failpoints: true });
    expect(etcdImage("3.7.3+failpoints")).toBe("etcd-harness/etcd:3.7.3-failpoints");
    for (const version of ["3.7.3", "3.7.3+failpoints", "3.7.0-rc.0+failpoints"]) expect(versionOfImage(etcdImage(version))).toBe(version);
    expect(releaseSource("3.5.21+failpoints")).toEqual({ kind: "module" });
    expect(releaseSource("3.7.3+failpoints").kind).toBe("pinned");
    expect(releaseSource("3.4.23+failpoints")).toMatchObject({ kind: "unbuildable", reason: expect.stringMatching(/Debian's package, a binary without failpoints/) });
    expect(["3.7.3+failpoints", "3.5.35", "3.7.3"].sort(compareReleases)).toEqual(["3.5.35", "3.7.3", "3.7.3+failpoints"]);
  });

  it("are required before anything starts by a schedule that arms failpoints", () => {
    const crash = [nemesisNamed("failpoint-crash")];
    const refusal = (run: () => void): string => {
      try {
        run();
      } catch (error) {
        expect((error as HarnessError).exitCode).toBe(64);
        return (error as Error).message;
      }
      throw new Error("accepted");
    };
    expect(refusal(() => requireFailpoints("failpoint-crash", crash, { build: { kind: "release", version: "3.6.16" } }, ["n1", "n2", "n3"]))).toBe(
      "failpoint-crash arms failpoints (failpoint-crash), and n1,n2,n3 would run etcd 3.6.16, a build without them: run it with --etcd 3.6.16+failpoints",
    );
    expect(refusal(() => requireFailpoints("x", crash, { build: { kind: "release", version: "3.7.3+failpoints" }, memberVersions: { n3: "3.5.35" } }, ["n1", "n2", "n3"]))).toMatch(/n3 would run etcd 3\.5\.35/);
    expect(() => requireFailpoints("x", crash, { build: { kind: "release", version: "3.7.3+failpoints" } }, ["n1"])).not.toThrow();
    expect(() => requireFailpoints("x", [nemesisNamed("kill")], { build: { kind: "release", version: "3.7.3" } }, ["n1"])).not.toThrow();
  });
});

describe("random crash points", () => {
  const scenario = scenarioNamed("failpoint-crash");

  it("are catalogued points, each on the member that reaches it, replayed from the seed", () => {
    for (const seed of [1, 7, 42, 1234]) {
      const schedule = scenario.schedule(scenario.defaults, seed);
      expect(schedule).toEqual(scenario.schedule(scenario.defaults, seed));
      expect(schedule.length).toBeGreaterThanOrEqual(3);
      for (const step of schedule) {
        expect(step.fault).toBe("failpoint-crash");
        const point = crashPointNamed(step.params?.["failpoint"] as string)!;
        expect(point).toBeDefined();
        expect(step.target).toBe(point.reachedBy === "any" ? "random" : point.reachedBy);
      }
    }
    const drawn = new Set([1, 2, 3, 4, 5, 6, 7, 8].flatMap((seed) => scenario.schedule(scenario.defaults, seed).map((step) => step.params?.["failpoint"])));
    expect(drawn.size).toBeGreaterThan(crashPoints.length / 2);
  });

  it("on one member are only points a lone member reaches", () => {
    for (let seed = 1; seed <= 30; seed++) {
      for (const step of scenario.schedule({ ...scenario.defaults, nodes: 1 }, seed)) expect(step.target).toBe("random");
    }
  });

  it("are left out of the random scenario, which runs on any build", () => {
    const random = scenarioNamed("random");
    for (let seed = 1; seed <= 30; seed++) for (const step of random.schedule(random.defaults, seed)) expect(step.fault).not.toMatch(/^failpoint-/);
    expect(scheduleForSeed(random.defaults, 3, ["failpoint-sleep"]).every((step) => step.fault === "failpoint-sleep")).toBe(true);
  });
});
