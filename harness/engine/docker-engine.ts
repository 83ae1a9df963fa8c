// The Docker engine: find it, and on a bare Debian host as root, install and start it.
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import Docker from "dockerode";
import { unavailableError } from "../errors.ts";
import { cacheDir } from "../paths.ts";

const run = promisify(execFile);
export const dockerdLogFile = path.join(cacheDir, "dockerd.log");
const startBudgetMs = 30_000;

let client: Docker | undefined;

/** One dockerode client for the process; honours DOCKER_HOST like the docker CLI. */
export function docker(): Docker {
  client ??= new Docker();
  return client;
}

export type EngineStatus = { ok: true; version: string } | { ok: false; reason: string };

export async function engineStatus(timeoutMs = 3000): Promise<EngineStatus> {
  try {
    const version = await withTimeout(docker().version(), timeoutMs);
    return { ok: true, version: version.Version };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Makes sure an engine answers. When none does and this process is root, installs Debian's docker.io
 * if dockerd is missing, starts dockerd in the background with its log in the cache folder, and
 * waits for it within a fixed budget. Otherwise throws an error naming the fix (exit 69).
 */
export async function ensureEngine(say: (line: string) => void): Promise<{ version: string; started: boolean }> {
  const status = await engineStatus();
  if (status.ok) return { version: status.version, started: false };
  if (process.env["DOCKER_HOST"]) {
    throw unavailableError(`Docker engine at DOCKER_HOST=${process.env["DOCKER_HOST"]} does not answer (${status.reason}); start it or unset DOCKER_HOST`);
  }
  if (process.getuid?.() !== 0) {
    throw unavailableError(`no Docker engine answers (${status.reason}) and only root can start one here; run \`sudo npm run setup\` or start Docker yourself`);
  }
  if (!(await commandExists("dockerd"))) {
    say("docker engine: dockerd not found; installing Debian's docker.io with apt-get");
    await aptInstall(["docker.io"], say);
  }
  fs.mkdirSync(cacheDir, { recursive: true });
  let attempt = await startDaemon(say);
  if (!attempt.ok && brokenNetworkStore(attempt.log)) {
    // dockerd 20.10 panics in libnetwork.reservePools when a network's record was cut short by a
    // killed engine; the record only names networks, so setting the store aside costs leftover networks.
    const aside = `${networkStoreFile}.broken-${Date.now()}`;
    fs.renameSync(networkStoreFile, aside);
    const cleared = await clearDeadEngineNetworking();
    say(
      `docker engine: dockerd crashed on its network store (a known dockerd 20.10 panic after an unclean stop); moved it to ${aside}, ` +
        `removed the dead engine's ${cleared.sandboxes} network namespaces and ${cleared.bridges} bridges, and starting again`,
    );
    attempt = await startDaemon(say);
  }
  if (attempt.ok) return { version: attempt.version, started: true };
  throw unavailableError(`dockerd did not start within ${startBudgetMs / 1000}s: ${decisiveLine(attempt.log)} (full log: ${dockerdLogFile})`);
}

const networkStoreFile = "/var/lib/docker/network/files/local-kv.db";
const sandboxDir = "/run/docker/netns";

/**
 * Without its store, a new dockerd knows nothing of the old one's container namespaces and bridges, yet
 * they live on (bind-mounted) holding the addresses it will hand out again; two containers answering for
 * one address make connections fail at random. Only called while no dockerd runs.
 */
async function clearDeadEngineNetworking(): Promise<{ sandboxes: number; bridges: number }> {
  let sandboxes = 0;
  for (const name of fs.existsSync(sandboxDir) ? fs.readdirSync(sandboxDir) : []) {
    const file = path.join(sandboxDir, name);
    await run("umount", [file]).catch(() => undefined);
    fs.rmSync(file, { force: true });
    sandboxes += 1;
  }
  const { stdout } = await run("ip", ["-o", "link", "show", "type", "bridge"]);
  const bridges = [...stdout.matchAll(/^\d+: (br-[0-9a-f]{12})[:@]/gm)].map((match) => match[1] as string);
  for (const bridge of bridges) await run("ip", ["link", "delete", bridge]);
  return { sandboxes, bridges: bridges.length };
}

type DaemonStart = { ok: true; version: string } | { ok: false; log: string };

/** Starts dockerd detached, its output appended to the log, and waits for it to answer within the budget. */
async function startDaemon(say: (line: string) => void): Promise<DaemonStart> {
  say(`docker engine: starting dockerd in the background (log: ${path.relative(process.cwd(), dockerdLogFile)})`);
  const logStart = fs.existsSync(dockerdLogFile) ? fs.statSync(dockerdLogFile).size : 0;
  const log = fs.openSync(dockerdLogFile, "a");
  const daemon = spawn("dockerd", [], { detached: true, stdio: ["ignore", log, log] });
  daemon.unref();
  fs.closeSync(log);
  const started = Date.now();
  while (Date.now() - started < startBudgetMs) {
    const now = await engineStatus(1000);
    if (now.ok) {
      say(`docker engine: ${now.version} answered after ${((Date.now() - started) / 1000).toFixed(1)}s`);
      return { ok: true, version: now.version };
    }
    if (daemon.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (daemon.exitCode === null) daemon.kill("SIGTERM");
  const whole = fs.readFileSync(dockerdLogFile);
  return { ok: false, log: whole.subarray(logStart).toString("utf8") };
}

function brokenNetworkStore(log: string): boolean {
  return /^panic: /m.test(log) && log.includes("libnetwork.(*controller).reservePools") && fs.existsSync(networkStoreFile);
}

/** The line of a failed start that says why: a panic, a fatal error, or else the last line. */
export function decisiveLine(log: string): string {
  const lines = log.trim().split("\n");
  const panic = lines.find((line) => line.startsWith("panic: "));
  const fatal = lines.find((line) => /level=fatal/.test(line));
  const frame = panic ? lines[lines.indexOf(panic) + 3]?.trim() : undefined;
  if (panic) return frame ? `${panic} in ${frame}` : panic;
  return fatal ?? (lines.at(-1) || "dockerd printed nothing");
}

export async function commandExists(command: string): Promise<boolean> {
  try {
    await run("sh", ["-c", `command -v ${command}`]);
    return true;
  } catch {
    return false;
  }
}

/** apt-get install, refreshing the package lists once if the first attempt cannot find a package. */
export async function aptInstall(packages: string[], say: (line: string) => void): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  try {
    await run("apt-get", ["install", "-y", "-q", ...packages], { env, maxBuffer: 64 << 20 });
  } catch {
    say("apt-get: refreshing package lists");
    await run("apt-get", ["update", "-q"], { env, maxBuffer: 64 << 20 });
    await run("apt-get", ["install", "-y", "-q", ...packages], { env, maxBuffer: 64 << 20 });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms}ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}
