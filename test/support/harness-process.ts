// Runs the harness CLI as a child process, as a user would, and watches its stderr.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import Docker from "dockerode";

export const cliPath = path.resolve(import.meta.dirname, "../../cli/main.ts");

export interface HarnessProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves when stderr has printed a line matching `pattern`. */
  waitFor(pattern: RegExp, budgetMs: number): Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startHarness(args: string[]): HarnessProcess {
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exit,
    async waitFor(pattern, budgetMs) {
      const started = Date.now();
      while (!pattern.test(err)) {
        if (child.exitCode !== null) throw new Error(`harness exited (${child.exitCode}) before printing ${pattern}: ${err}`);
        if (Date.now() - started > budgetMs) throw new Error(`harness did not print ${pattern} within ${budgetMs}ms: ${err}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}

export interface FinishedHarness {
  /** The exit code, or null when the budget ran out and the process was killed. */
  code: number | null;
  stderr: string;
  /** The report folder the run printed, absolute. */
  runDir?: string;
}

/** Runs the CLI to its end (killed after the budget); its exit code, what it said, and its report folder. */
export async function runHarness(args: string[], budgetMs = 240_000): Promise<FinishedHarness> {
  const run = startHarness(args);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const exited = await Promise.race([run.exit, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), budgetMs)))]);
  clearTimeout(timer);
  if (!exited) run.child.kill("SIGKILL");
  const report = /report: (\S+)\/index\.html/.exec(run.stderr())?.[1];
  return { code: exited?.code ?? null, stderr: run.stderr(), ...(report ? { runDir: path.resolve(report) } : {}) };
}

/** The cluster id a harness run printed ("cluster eh-<id> healthy ..."). */
export function clusterIdOf(stderr: string): string {
  const match = /cluster eh-([0-9a-f]+) healthy/.exec(stderr);
  if (!match) throw new Error(`no cluster id in the harness output: ${stderr}`);
  return match[1]!;
}

/** Containers and networks of one cluster (all harness clusters when no id is given) that still exist. */
export async function leftovers(clusterId?: string): Promise<{ containers: string[]; networks: string[] }> {
  const docker = new Docker();
  const label = clusterId ? `etcd-harness.run=${clusterId}` : "etcd-harness.run";
  const containers = await docker.listContainers({ all: true, filters: { label: [label] } });
  const networks = await docker.listNetworks({ filters: { name: [clusterId ? `eh-${clusterId}` : "eh-"] } });
  return { containers: containers.map((container) => container.Names[0] ?? container.Id), networks: networks.map((network) => network.Name) };
}

/** Waits until none of the cluster's containers or networks are left, or the budget runs out; returns what is left. */
export async function leftoversAfter(budgetMs: number, clusterId?: string): Promise<{ containers: string[]; networks: string[] }> {
  const started = Date.now();
  for (;;) {
    const left = await leftovers(clusterId);
    if ((left.containers.length === 0 && left.networks.length === 0) || Date.now() - started > budgetMs) return left;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
