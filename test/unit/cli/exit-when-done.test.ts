// The command's last resort: once done, a process that something keeps alive exits anyway with its code, naming what was open.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const module = path.resolve(import.meta.dirname, "../../../cli/exit-when-done.ts");

function node(script: string): { status: number | null; stderr: string; ms: number } {
  const started = Date.now();
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 30_000 });
  return { status: result.status, stderr: result.stderr, ms: Date.now() - started };
}

describe("exitWhenDone", () => {
  it("exits with the code after the linger when a timer would keep the process alive, naming what was open", () => {
    const result = node(`import { exitWhenDone } from ${JSON.stringify(module)}; setInterval(() => {}, 1000); exitWhenDone(2);`);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^harness: done \(exit 2\), but still open after the report was written: 1 Timeout; exiting anyway/);
    expect(result.ms).toBeLessThan(10_000);
  });

  it("lets a process with nothing left exit at once, with its code and nothing said", () => {
    const result = node(`import { exitWhenDone } from ${JSON.stringify(module)}; exitWhenDone(1);`);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("");
    expect(result.ms).toBeLessThan(1800);
  });
});
