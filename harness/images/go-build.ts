// Static Linux binaries built with the host's Go toolchain from modules fetched through the Go module proxy.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface GoBuild {
  /** Folder holding go.mod and go.sum (and main.go when the package is "."). */
  moduleDir: string;
  /** Package to build: "." or an import path required by the module. */
  packagePath: string;
  output: string;
  /** Extra -X settings for the linker. */
  linkerVariables?: Record<string, string>;
}

export async function goBuild(build: GoBuild): Promise<void> {
  const xFlags = Object.entries(build.linkerVariables ?? {}).map(([name, value]) => `-X ${name}=${value}`);
  const ldflags = ["-s", "-w", ...xFlags].join(" ");
  try {
    await run("go", ["build", "-trimpath", "-ldflags", ldflags, "-o", build.output, build.packagePath], {
      cwd: build.moduleDir,
      env: { ...process.env, CGO_ENABLED: "0", GOOS: "linux", GOARCH: process.arch === "arm64" ? "arm64" : "amd64" },
      maxBuffer: 64 << 20,
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim().split("\n").slice(-5).join(" | ");
    throw new Error(`go build of ${build.packagePath} in ${build.moduleDir} failed: ${stderr || String(error)}`);
  }
}

/** "go1.26.8", or undefined when no Go toolchain is on PATH. */
export async function goVersion(): Promise<string | undefined> {
  try {
    const { stdout } = await run("go", ["env", "GOVERSION"]);
    return stdout.trim();
  } catch {
    return undefined;
  }
}
