// What each member's backend holds: database size allocated and in use, the revision, and the revision compacted to.
import type { Etcd3 } from "etcd3";
import { deadline } from "../clients/etcd-client.ts";
import { kvHash } from "./member-status.ts";

export interface Storage {
  member: string;
  /** Bytes of the backend file etcd counts against --quota-backend-bytes. */
  dbSize: number;
  /** Bytes of it holding live data; the rest is free pages a defragmentation gives back. */
  dbSizeInUse: number;
  revision: number;
}

export async function storageOf(member: string, admin: Etcd3, timeoutMs = 2000): Promise<Storage> {
  const status = await admin.maintenance.status(deadline(timeoutMs));
  return { member, dbSize: Number(status.dbSize), dbSizeInUse: Number(status.dbSizeInUse ?? status.dbSize), revision: Number(status.header.revision) };
}

/** Every member's storage; fails naming the member that did not answer. */
export async function storageOfAll(members: ReadonlyArray<{ name: string; admin: Etcd3 }>, timeoutMs = 2000): Promise<Storage[]> {
  return Promise.all(
    members.map((member) =>
      storageOf(member.name, member.admin, timeoutMs).catch((error: unknown) => {
        throw new Error(`status of ${member.name} did not answer within ${timeoutMs}ms: ${error instanceof Error ? error.message : String(error)}`);
      }),
    ),
  );
}

/** The revision the member's keyspace is compacted to (0 or less before any compaction), from HashKV. */
export async function compactRevisionOf(admin: Etcd3, timeoutMs = 5000): Promise<number> {
  return (await kvHash(admin, 0, timeoutMs)).compactRevision;
}

/** "16.3 MB", or "84 KB" below a megabyte. */
export function megabytes(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} KB`;
}
