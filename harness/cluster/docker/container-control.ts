// The members' etcd processes as containers: signals, exits and restarts through the engine's API.
import fs from "node:fs";
import { docker } from "../../engine/docker-engine.ts";
import type { MemberProcesses } from "../backend.ts";

/** etcd is PID 1 of its container, so a signal from the engine reaches it directly, and a restart keeps its data. */
export class ContainerProcesses implements MemberProcesses {
  readonly #containerOf: (member: string) => string;
  readonly #logFileOf: (member: string) => string | undefined;

  constructor(containerOf: (member: string) => string, logFileOf: (member: string) => string | undefined) {
    this.#containerOf = containerOf;
    this.#logFileOf = logFileOf;
  }

  async signal(member: string, signal: NodeJS.Signals): Promise<void> {
    await docker().getContainer(this.#containerOf(member)).kill({ signal });
  }

  waitForExit(member: string, budgetMs: number): Promise<number | undefined> {
    return waitForExit(this.#containerOf(member), budgetMs);
  }

  restart(member: string): Promise<void> {
    return restartContainer(this.#containerOf(member), this.#logFileOf(member));
  }

  isRunning(member: string): Promise<boolean> {
    return isRunning(this.#containerOf(member));
  }

  async recentOutput(member: string, lines: number, sinceMs?: number): Promise<string> {
    const since = sinceMs !== undefined ? { since: Math.floor(sinceMs / 1000) } : {};
    const output = await docker().getContainer(this.#containerOf(member)).logs({ stdout: true, stderr: true, follow: false, tail: lines, ...since });
    return demultiplexed(Buffer.isBuffer(output) ? output : Buffer.from(String(output)));
  }
}

/** The text of a non-TTY container's log, whose frames each start with an 8-byte header (stream, 0, 0, 0, length). */
export function demultiplexed(buffer: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const length = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + length));
    offset += 8 + length;
  }
  return Buffer.concat(parts).toString("utf8");
}

/** Starts a stopped container again; when `logFile` is given, appends what it prints from now on. */
export async function restartContainer(id: string, logFile?: string): Promise<void> {
  const since = (Date.now() / 1000).toFixed(3);
  const container = docker().getContainer(id);
  await container.start();
  if (!logFile) return;
  const stream = await container.logs({ follow: true, stdout: true, stderr: true, since: since as unknown as number });
  const out = fs.createWriteStream(logFile, { flags: "a" });
  docker().modem.demuxStream(stream, out, out);
  stream.on("end", () => out.end());
}

export async function isRunning(id: string): Promise<boolean> {
  return (await docker().getContainer(id).inspect()).State.Running;
}

/** Waits until the container has stopped; returns its exit code, or undefined when it still runs after the budget. */
export async function waitForExit(id: string, budgetMs: number): Promise<number | undefined> {
  const started = Date.now();
  for (;;) {
    const state = (await docker().getContainer(id).inspect()).State;
    if (!state.Running) return state.ExitCode;
    if (Date.now() - started > budgetMs) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
