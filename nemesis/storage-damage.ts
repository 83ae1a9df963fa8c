// What a storage fault does to a stopped member's files, as Jepsen's bitflip and truncate do: pure functions of the file's bytes.
import type { DataFile } from "../harness/cluster/backend.ts";

export type DamagedFile = "wal" | "snap" | "db";

/** The file a fault damages: the newest WAL segment, the newest raft snapshot, or the bbolt database. */
export function fileToDamage(files: DataFile[], kind: DamagedFile): DataFile | undefined {
  const pattern = kind === "wal" ? /^member\/wal\/[0-9a-f-]+\.wal$/ : kind === "snap" ? /^member\/snap\/[0-9a-f-]+\.snap$/ : /^member\/snap\/db$/;
  return files
    .filter((file) => pattern.test(file.path))
    .sort((a, b) => a.path.localeCompare(b.path))
    .at(-1);
}

/** Bytes up to the last one that is not zero: a WAL segment is preallocated (64 MB of zeros) and written from its start. */
export function writtenLength(content: Buffer): number {
  for (let index = content.length - 1; index >= 0; index--) if (content[index] !== 0) return index + 1;
  return 0;
}

/** Pages of bbolt's file that hold its two meta pages, which bbolt checksums and falls back between. */
const bboltMetaBytes = 2 * 4096;

/**
 * Flips one bit in each of `flips` bytes spread evenly over the written part of the file (for the
 * database, past its meta pages; for the WAL, over its last 64 KiB: the newest entries). The same file
 * gets the same flips. Returns the damaged copy and the offsets hit.
 */
export function flipBits(content: Buffer, kind: DamagedFile, flips: number): { content: Buffer; offsets: number[] } {
  const written = writtenLength(content);
  const start = kind === "db" ? Math.min(bboltMetaBytes, written) : kind === "wal" ? Math.max(0, written - 64 * 1024) : 0;
  const span = written - start;
  if (span <= 0) return { content, offsets: [] };
  const damaged = Buffer.from(content);
  const offsets: number[] = [];
  for (let index = 0; index < flips; index++) {
    const offset = start + Math.floor(((index + 0.5) * span) / flips);
    if (offsets.includes(offset)) continue;
    damaged[offset] = damaged[offset]! ^ (1 << (offset % 8));
    offsets.push(offset);
  }
  return { content: damaged, offsets };
}

/** Cuts the last `bytes` written bytes off the file (and the preallocated zeros after them): a torn write at the tail. */
export function truncateTail(content: Buffer, bytes: number): { content: Buffer; cutAt: number; written: number } {
  const written = writtenLength(content);
  const cutAt = Math.max(0, written - bytes);
  return { content: content.subarray(0, cutAt), cutAt, written };
}
