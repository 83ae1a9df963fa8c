// The members' data directories, read from their containers through the engine's archive API (etcd's image has no shell).
import path from "node:path";
import tar from "tar-stream";
import { packToBuffer } from "./tar-buffers.ts";
import { docker } from "../../engine/docker-engine.ts";
import type { DataFile, MemberStorage } from "../backend.ts";

export class ContainerStorage implements MemberStorage {
  readonly #containerOf: (member: string) => string;
  readonly #dataDir: string;

  constructor(containerOf: (member: string) => string, dataDir: string) {
    this.#containerOf = containerOf;
    this.#dataDir = dataDir;
  }

  /** Every regular file under the member's data directory, with its size, sorted by path. */
  async files(member: string): Promise<DataFile[]> {
    const archive = await docker().getContainer(this.#containerOf(member)).getArchive({ path: this.#dataDir });
    const files: DataFile[] = [];
    const extract = tar.extract();
    const top = this.#dataDir.split("/").filter(Boolean).at(-1)!;
    extract.on("entry", (header, stream, next) => {
      if (header.type === "file") files.push({ path: header.name.replace(new RegExp(`^${top}/`), ""), bytes: header.size ?? 0 });
      stream.on("end", next);
      stream.resume();
    });
    await new Promise<void>((resolve, reject) => {
      extract.on("finish", resolve);
      extract.on("error", reject);
      archive.on("error", reject);
      archive.pipe(extract);
    });
    return files.sort((a, b) => a.path.localeCompare(b.path));
  }

  async read(member: string, file: string): Promise<Buffer> {
    const [entry] = await this.#entries(member, file, true);
    if (!entry?.content) throw new Error(`${file} is not a file in ${member}'s data directory`);
    return entry.content;
  }

  async write(member: string, file: string, content: Buffer): Promise<void> {
    const [entry] = await this.#entries(member, file, false);
    const { pack, packed } = packToBuffer();
    pack.entry({ name: path.posix.basename(file), size: content.length, mode: entry?.mode ?? 0o600 }, content);
    pack.finalize();
    await docker()
      .getContainer(this.#containerOf(member))
      .putArchive(await packed, { path: path.posix.join(this.#dataDir, path.posix.dirname(file)) });
  }

  /** The archive's entries for one path: each one's mode, and its content when asked. */
  async #entries(member: string, file: string, withContent: boolean): Promise<Array<{ mode?: number; content?: Buffer }>> {
    const archive = await docker().getContainer(this.#containerOf(member)).getArchive({ path: path.posix.join(this.#dataDir, file) });
    const entries: Array<{ mode?: number; content?: Buffer }> = [];
    const extract = tar.extract();
    extract.on("entry", (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: unknown) => {
        if (withContent) chunks.push(chunk as Buffer);
      });
      stream.on("end", () => {
        if (header.type === "file") entries.push({ ...(header.mode !== undefined ? { mode: header.mode } : {}), ...(withContent ? { content: Buffer.concat(chunks) } : {}) });
        next();
      });
    });
    await new Promise<void>((resolve, reject) => {
      extract.on("finish", resolve);
      extract.on("error", reject);
      archive.on("error", reject);
      archive.pipe(extract);
    });
    return entries;
  }
}
