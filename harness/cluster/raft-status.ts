// Raft's own view of one member (current term, role, leader, commit index), read from etcd's /debug/vars.
//
// etcd's Status call reports as its term the term of the last applied entry, which lags the raft term
// after an election; raft.status is one consistent snapshot of the raft state machine, so a (term,
// leader) pair read from it is one raft really held at that moment.
import type { RaftRole } from "../../record/status.ts";
import { adminGet, type AdminPort } from "../clients/admin-http.ts";

export interface RaftView {
  /** The member's raft id, hex as raft prints it. */
  id: string;
  term: number;
  role: RaftRole;
  /** The leader's raft id (hex) this member knows of in `term`, or null when it knows none. */
  leadId: string | null;
  /** Raft's commit index on this member. */
  commit: number;
}

const roles: Record<string, RaftRole> = {
  StateLeader: "leader",
  StateFollower: "follower",
  StateCandidate: "candidate",
  StatePreCandidate: "pre-candidate",
};

/** raft.status from the member's /debug/vars on etcd's own client port. */
export async function raftView(member: AdminPort, timeoutMs: number): Promise<RaftView> {
  return parseRaftStatus(JSON.parse(await adminGet(member, "/debug/vars", timeoutMs)) as Record<string, unknown>);
}

export function parseRaftStatus(vars: Record<string, unknown>): RaftView {
  const status = vars["raft.status"] as { id?: unknown; term?: unknown; lead?: unknown; raftState?: unknown; commit?: unknown } | null | undefined;
  const role = roles[String(status?.raftState)];
  if (!status || typeof status.id !== "string" || typeof status.term !== "number" || typeof status.commit !== "number" || !role) {
    throw new Error(`/debug/vars has no raft.status with id, term, commit and raftState: ${JSON.stringify(status ?? null).slice(0, 200)}`);
  }
  const lead = typeof status.lead === "string" && status.lead !== "0" ? status.lead : null;
  return { id: status.id, term: status.term, role, leadId: lead, commit: status.commit };
}

/** etcd's decimal member id as raft prints it (hex). */
export const raftId = (memberId: string): string => BigInt(memberId).toString(16);
