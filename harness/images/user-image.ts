// A user's own etcd image: found in the local engine (or pulled where a registry answers), and the etcd binary inside it located.
import path from "node:path";
import { docker } from "../engine/docker-engine.ts";
import { unavailableError, usageError } from "../errors.ts";
import { probeLabel } from "./etcd-probe.ts";

export interface UserImage {
  ref: string;
  /** The engine's image id: replay warns when the reference now names another image. */
  id: string;
  /** Absolute path of etcd inside the image. */
  binary: string;
}

/** Where etcd images commonly keep the binary, after the image's own entrypoint and PATH. */
const usualPlaces = ["/usr/local/bin/etcd", "/usr/bin/etcd", "/bin/etcd", "/etcd", "/opt/etcd/etcd", "/opt/etcd/bin/etcd", "/opt/bitnami/etcd/bin/etcd"];

/** The image and its etcd: `binary` when given (checked), else the first candidate that exists in the image. */
export async function userImage(ref: string, binary?: string): Promise<UserImage> {
  const info = await inspectOrPull(ref);
  const config = info.Config ?? {};
  if (binary !== undefined && !path.posix.isAbsolute(binary)) throw usageError(`--etcd-binary ${binary}: give the absolute path of etcd inside the image`);
  const words = (value: string | string[] | null | undefined): string[] => (value == null ? [] : typeof value === "string" ? value.split(/\s+/) : value);
  const fromImage = [...words(config.Entrypoint), ...words(config.Cmd)].filter((word) => path.posix.isAbsolute(word) && path.posix.basename(word) === "etcd");
  const onPath = ((config.Env ?? []) as string[])
    .find((entry) => entry.startsWith("PATH="))
    ?.slice("PATH=".length)
    .split(":")
    .filter((dir) => path.posix.isAbsolute(dir))
    .map((dir) => path.posix.join(dir, "etcd"));
  const candidates = binary !== undefined ? [binary] : [...new Set([...fromImage, ...(onPath ?? []), ...usualPlaces])];
  const found = await firstPresent(ref, candidates);
  if (found === undefined) {
    if (binary !== undefined) throw usageError(`--etcd-binary ${binary}: no such file in ${ref}`);
    throw usageError(`--etcd-image ${ref}: found no etcd binary (looked at ${candidates.join(", ")}); name it with --etcd-binary <path>`);
  }
  return { ref, id: info.Id, binary: found };
}

async function inspectOrPull(ref: string): Promise<{ Id: string; Config?: { Entrypoint?: string | string[] | null; Cmd?: string | string[] | null; Env?: string[] | null } }> {
  try {
    return await docker().getImage(ref).inspect();
  } catch {
    try {
      const stream = await docker().pull(ref);
      await new Promise<void>((resolve, reject) => docker().modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve())));
      return await docker().getImage(ref).inspect();
    } catch (error) {
      throw unavailableError(`--etcd-image ${ref}: not in the local engine, and pulling it failed (${error instanceof Error ? error.message : String(error)}); build or load it first (docker build -t ${ref} ... / docker load)`);
    }
  }
}

/** The first of `paths` that is a file in the image, looked up in a created (never started) container. */
async function firstPresent(ref: string, paths: string[]): Promise<string | undefined> {
  const container = await docker().createContainer({ Image: ref, Entrypoint: ["/nonexistent"], Labels: { [probeLabel]: "binary" }, HostConfig: { NetworkMode: "none" } });
  try {
    for (const candidate of paths) {
      const response = (await container.infoArchive({ path: candidate }).catch(() => undefined)) as { headers?: Record<string, string>; destroy?: () => void } | undefined;
      if (response === undefined) continue;
      // The engine answers with an open stream; left unread it would keep the process alive.
      response.destroy?.();
      if (!isDirectory(response.headers?.["x-docker-container-path-stat"])) return candidate;
    }
    return undefined;
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

/** Whether the engine's path stat (base64 JSON with Go's file mode) describes a directory. */
function isDirectory(stat: string | undefined): boolean {
  if (!stat) return false;
  try {
    const { mode } = JSON.parse(Buffer.from(stat, "base64").toString("utf8")) as { mode?: number };
    return mode !== undefined && Math.floor(mode / 2 ** 31) % 2 === 1;
  } catch {
    return false;
  }
}
