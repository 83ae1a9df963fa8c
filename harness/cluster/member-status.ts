// What one member says about itself and the cluster: raft state, revision, leader, and HashKV.
import type { Etcd3, IHashKVResponse, IMember } from "etcd3";
import { deadline } from "../clients/etcd-client.ts";

export interface MemberStatus {
  name: string;
  /** etcd's member id, as a decimal string. */
  memberId: string;
  /** The leader this member knows of, as a member id; "0" when it knows none. */
  leaderId: string;
  raftTerm: number;
  raftIndex: number;
  raftAppliedIndex: number;
  revision: number;
  version: string;
}

export async function memberStatus(name: string, admin: Etcd3, timeoutMs: number): Promise<MemberStatus> {
  const status = await admin.maintenance.status(deadline(timeoutMs));
  return {
    name,
    memberId: String(status.header.member_id),
    leaderId: String(status.leader),
    raftTerm: Number(status.raftTerm),
    raftIndex: Number(status.raftIndex),
    raftAppliedIndex: Number((status as { raftAppliedIndex?: string }).raftAppliedIndex ?? status.raftIndex),
    revision: Number(status.header.revision),
    version: status.version,
  };
}

export interface KvHash {
  hash: number;
  /** Revision the hash covers. */
  revision: number;
  compactRevision: number;
}

interface RawPool {
  exec(service: string, method: string, payload: unknown, options: unknown): Promise<IHashKVResponse>;
}

/**
 * HashKV at `revision` (0: the member's latest). etcd3's maintenance.hashKV() asks gRPC for a method
 * named "hashKV", which its proto loader names "HashKV", so the call goes through the pool directly.
 */
export async function kvHash(admin: Etcd3, revision: number, timeoutMs: number): Promise<KvHash> {
  const pool = (admin as unknown as { pool: RawPool }).pool;
  const result = await pool.exec("Maintenance", "HashKV", { revision }, deadline(timeoutMs));
  return {
    hash: Number(result.hash),
    revision: revision || Number(result.header.revision),
    compactRevision: Number(result.compact_revision),
  };
}

export interface MemberInfo {
  id: string;
  name: string;
  peerUrls: string[];
  isLearner: boolean;
}

/**
 * The membership as this member sees it; `linearizable` asks the leader's committed view (etcd >= 3.5;
 * older releases ignore it and answer from the member's applied state).
 */
export async function memberList(admin: Etcd3, timeoutMs: number, linearizable = false): Promise<MemberInfo[]> {
  const response = await admin.cluster.memberList({ linearizable }, deadline(timeoutMs));
  return memberInfos(response.members);
}

export function memberInfos(members: IMember[]): MemberInfo[] {
  return members.map((member) => ({
    id: String(member.ID),
    name: member.name,
    peerUrls: member.peerURLs,
    isLearner: Boolean((member as { isLearner?: boolean }).isLearner),
  }));
}

export interface Alarm {
  memberId: string;
  alarm: string;
}

/** Alarms raised anywhere in the cluster (NOSPACE, CORRUPT), as this member reports them. */
export async function alarms(admin: Etcd3, timeoutMs: number): Promise<Alarm[]> {
  const response = await admin.maintenance.alarm({ action: "Get", memberID: 0, alarm: "None" }, deadline(timeoutMs));
  return (response.alarms ?? []).map((alarm) => ({ memberId: String(alarm.memberID), alarm: String(alarm.alarm) }));
}
