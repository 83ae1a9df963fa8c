// etcdutl of a release, run once in a throwaway container: files copied in, its exit code and output, an archive of what it wrote.
import path from "node:path";
import type Docker from "dockerode";
import tar from "tar-stream";
import { packToBuffer } from "./tar-buffers.ts";
import { getContainerRuntimeClient, getReaper, LABEL_TESTCONTAINERS_SESSION_ID } from "testcontainers";
import { docker } from "../../engine/docker-engine.ts";
import { configureTestcontainers } from "../../engine/testcontainers-setup.ts";
import { unavailableError } from "../../errors.ts";
import { etcdutlImage } from "../../images/catalog.ts";
import { onInterrupt } from "../../lifecycle/shutdown.ts";

export interface EtcdutlRun {
  exitCode: number;
  /** stdout and stderr, interleaved as etcdutl wrote them. */
  output: string;
  /** Tar archive of outputPath (its last path element at the top), when asked for and it exists after the run. */
  archive?: Buffer;
}

export interface EtcdutlOptions {
  /** etcd release; picks etcd-harness/etcdutl:<release> (ensureEtcdutlImage builds it). */
  version: string;
  /** etcdutl's arguments, e.g. ["snapshot", "status", "/work/snapshot.db", "-w", "json"]. */
  args: string[];
  /** Files copied into the container before it starts, at absolute paths (parent folders are made). */
  inputs?: Array<{ path: string; content: Buffer }>;
  /** A path in the container whose tar archive is returned after etcdutl exited. */
  outputPath?: string;
  /** Docker labels; pass the run's label so clean-up finds the container. */
  labels?: Record<string, string>;
  /** Milliseconds before etcdutl is killed and the call fails; 60 s by default. */
  timeoutMs?: number;
}

export interface ArchivedFile {
  path: string;
  content: Buffer;
  mode?: number;
}

const defaultTimeoutMs = 60_000;

/** Runs etcdutl without a network; the container is removed however the call ends, and the reaper's session label covers a killed harness. */
export async function runEtcdutl(options: EtcdutlOptions): Promise<EtcdutlRun> {
  const image = etcdutlImage(options.version);
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const command = `etcdutl ${options.args.join(" ")}`;
  configureTestcontainers();
  const reaper = await getReaper(await getContainerRuntimeClient());
  const container = await docker()
    .createContainer({
      Image: image,
      Cmd: options.args,
      Labels: { ...options.labels, [LABEL_TESTCONTAINERS_SESSION_ID]: reaper.sessionId },
      HostConfig: { NetworkMode: "none" },
    })
    .catch((error: unknown) => {
      if ((error as { statusCode?: number }).statusCode === 404) {
        throw unavailableError(`image ${image} is missing: ensureEtcdutlImage("${options.version}") builds it (\`npm run setup\` builds the default release's)`);
      }
      throw error;
    });
  const remove = (): Promise<void> => container.remove({ force: true, v: true }).catch(() => {});
  const unregister = onInterrupt(remove);
  try {
    if (options.inputs?.length) await container.putArchive(await packFiles(options.inputs), { path: "/" });
    await container.start();
    const exited = await withinBudget(container.wait() as Promise<{ StatusCode: number }>, timeoutMs);
    const output = demux(await container.logs({ stdout: true, stderr: true, follow: false }));
    if (!exited) throw new Error(`${command} did not exit within ${timeoutMs}ms; its output so far: ${output.trim() || "(none)"}`);
    const archive = options.outputPath === undefined ? undefined : await archiveOf(container, options.outputPath);
    return { exitCode: exited.StatusCode, output, ...(archive ? { archive } : {}) };
  } finally {
    await remove();
    unregister();
  }
}

/** The regular files of a tar archive (as runEtcdutl returns), with their paths inside it. */
export async function untarFiles(archive: Buffer): Promise<ArchivedFile[]> {
  const files: ArchivedFile[] = [];
  const extract = tar.extract();
  extract.on("entry", (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: unknown) => chunks.push(chunk as Buffer));
    stream.on("end", () => {
      if (header.type === "file") files.push({ path: header.name, content: Buffer.concat(chunks), ...(header.mode !== undefined ? { mode: header.mode & 0o7777 } : {}) });
      next();
    });
  });
  await new Promise<void>((resolve, reject) => {
    extract.on("finish", resolve);
    extract.on("error", reject);
    extract.end(archive);
  });
  return files;
}

/** A tar of the files at their absolute paths (without the leading "/"), with entries for their parent folders. */
async function packFiles(files: Array<{ path: string; content: Buffer }>): Promise<Buffer> {
  const { pack, packed } = packToBuffer();
  const folders = new Set<string>();
  for (const file of files) {
    if (!path.posix.isAbsolute(file.path)) throw new Error(`input path ${file.path} is not absolute`);
    for (let dir = path.posix.dirname(file.path); dir !== "/"; dir = path.posix.dirname(dir)) folders.add(dir.slice(1));
  }
  for (const folder of [...folders].sort()) pack.entry({ name: folder, type: "directory", mode: 0o755 });
  for (const file of files) pack.entry({ name: file.path.slice(1), size: file.content.length, mode: 0o644 }, file.content);
  pack.finalize();
  return packed;
}

async function archiveOf(container: Docker.Container, containerPath: string): Promise<Buffer | undefined> {
  try {
    const stream = await container.getArchive({ path: containerPath });
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

/** The engine's log stream of a container without a TTY: frames of an 8-byte header (stream, 0, 0, 0, size) and a payload. */
function demux(log: Buffer): string {
  const payloads: Buffer[] = [];
  for (let offset = 0; offset + 8 <= log.length; ) {
    const size = log.readUInt32BE(offset + 4);
    payloads.push(log.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(payloads).toString("utf8");
}

/** The promise's value, or undefined when it has not settled within the budget. */
async function withinBudget<T>(promise: Promise<T>, budgetMs: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), budgetMs);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
