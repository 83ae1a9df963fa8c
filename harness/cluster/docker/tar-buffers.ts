// Tar archives in memory: a pack collected into one buffer, and an archive moved under a folder (the engine copies an archive only into a folder that exists, and etcd's image has no /var/lib).
import { Readable } from "node:stream";
import tar from "tar-stream";

/** A tar pack to add entries to, and its bytes once it is finalized. */
export function packToBuffer(): { pack: tar.Pack; packed: Promise<Buffer> } {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on("data", (chunk: unknown) => chunks.push(chunk as Buffer));
  const packed = new Promise<Buffer>((resolve, reject) => {
    pack.on("end", () => resolve(Buffer.concat(chunks)));
    pack.on("error", reject);
  });
  return { pack, packed };
}

/** The archive with `prefix` (such as "var/lib/") put before every entry's name, ready to be copied to "/". */
export async function underFolder(archive: Buffer, prefix: string): Promise<Buffer> {
  const extract = tar.extract();
  const { pack, packed } = packToBuffer();
  // The folders of the prefix first, so the engine makes them with the right modes.
  const parts = prefix.split("/").filter(Boolean);
  for (let depth = 1; depth <= parts.length; depth++) pack.entry({ name: `${parts.slice(0, depth).join("/")}/`, type: "directory", mode: 0o755 });
  extract.on("entry", (header, stream, next) => {
    const moved = pack.entry({ ...header, name: `${prefix}${header.name}` }, (error) => next(error ?? undefined));
    stream.pipe(moved);
  });
  await new Promise<void>((resolve, reject) => {
    extract.on("finish", resolve);
    extract.on("error", reject);
    Readable.from([archive]).pipe(extract);
  });
  pack.finalize();
  return packed;
}
