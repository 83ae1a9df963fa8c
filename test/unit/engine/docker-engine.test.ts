// The reason a failed dockerd start is reported with: the panic and where, not the stack's last lines.
import { describe, expect, it } from "vitest";
import { decisiveLine } from "../../../harness/engine/docker-engine.ts";

const panicLog = [
  'time="2026-11-21T11:22:17Z" level=info msg="[core] Channel Connectivity change to TRANSIENT_FAILURE" module=grpc',
  "panic: runtime error: index out of range [0] with length 0",
  "",
  "goroutine 1 [running]:",
  "github.com/docker/libnetwork.(*controller).reservePools(0x5645433e8e70?)",
  "\t/build/reproducible-path/docker.io-20.10.24+dfsg1/_build/src/github.com/docker/libnetwork/controller.go:956 +0xb65",
  "main.main()",
  "\t/build/reproducible-path/docker.io-20.10.24+dfsg1/_build/src/github.com/docker/docker/cmd/dockerd/docker.go:97 +0x15d",
].join("\n");

describe("decisiveLine", () => {
  it("names the panic and the function it happened in", () => {
    expect(decisiveLine(panicLog)).toBe(
      "panic: runtime error: index out of range [0] with length 0 in github.com/docker/libnetwork.(*controller).reservePools(0x5645433e8e70?)",
    );
  });

  it("prefers a fatal line to the last line", () => {
    const log = 'level=info msg="x"\ntime="t" level=fatal msg="failed to start daemon: pid file found"\nlevel=info msg="y"';
    expect(decisiveLine(log)).toBe('time="t" level=fatal msg="failed to start daemon: pid file found"');
  });

  it("falls back to the last line, or says nothing was printed", () => {
    expect(decisiveLine("one\ntwo")).toBe("two");
    expect(decisiveLine("")).toBe("dockerd printed nothing");
  });
});
