// The members' data directories, read from their containers through the engine's archive API (etcd's image has no shell).
import tar from "tar-stream";
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
}
