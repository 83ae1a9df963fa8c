// etcd's membership calls (MemberAdd, MemberRemove, MemberPromote) made safe to retry until they settle.
//
// Each call is asked of a healthy voting member other than the one it concerns (the leader when it
// qualifies), and retried while etcd refuses for a passing reason: with --strict-reconfig-check (the
// default) etcd refuses to add a voter until every voter has been connected for 5 s, to remove one
// that would leave too few connected, and to promote a learner that lags the leader; a leader may also
// be changing. Every attempt first reads the member list, so a call whose response was lost but which
// committed is recognised rather than repeated.
import type { Etcd3 } from "etcd3";
import { deadline } from "../clients/etcd-client.ts";
import { errorMessage } from "../clients/outcome.ts";
import type { Cluster, ClusterMember } from "./backend.ts";
import { memberInfos, memberList, type MemberInfo, type MemberStatus } from "./member-status.ts";

const callTimeoutMs = 5000;
const retryPauseMs = 250;

export interface ReconfigOptions {
  budgetMs: number;
  /** A member not to ask: the one being removed or promoted. */
  avoid?: string;
}

/** etcd refusals that no retry will change. */
const permanentRefusals = /too many learner|unimplemented|not supported for learner|invalid argument|permission denied|member id already exist/i;

export function isPermanentRefusal(message: string): boolean {
  return permanentRefusals.test(message);
}

class PermanentError extends Error {}

/** Adds a member with the given peer URL (a learner when asked); returns its id and the membership after. */
export async function addMember(cluster: Cluster, peerUrl: string, learner: boolean, options: ReconfigOptions): Promise<{ id: string; members: MemberInfo[] }> {
  let sent = false;
  return retrying(cluster, `adding ${learner ? "learner" : "member"} ${peerUrl}`, options.budgetMs, async () => {
    const admin = await healthyAdmin(cluster, options.avoid);
    const members = await memberList(admin, callTimeoutMs, true);
    const existing = members.find((member) => member.peerUrls.includes(peerUrl));
    if (existing && sent) return { id: existing.id, members };
    // Before our call, the URL may still belong to a member whose removal this member has not applied yet.
    if (existing) throw new Error(`peer URL ${peerUrl} still belongs to member ${existing.id}`);
    sent = true;
    const response = await admin.cluster.memberAdd({ peerURLs: [peerUrl], isLearner: learner }, deadline(callTimeoutMs));
    return { id: String(response.member.ID), members: memberInfos(response.members) };
  });
}

/** Removes the member with this id; returns the membership after. */
export async function removeMember(cluster: Cluster, id: string, options: ReconfigOptions): Promise<MemberInfo[]> {
  let sent = false;
  return retrying(cluster, `removing member ${id}`, options.budgetMs, async () => {
    const admin = await healthyAdmin(cluster, options.avoid);
    const members = await memberList(admin, callTimeoutMs, true);
    if (!members.some((member) => member.id === id)) {
      if (sent) return members;
      throw new PermanentError(`member ${id} is not in etcd's member list (${members.map((member) => member.id).join(", ")})`);
    }
    sent = true;
    return memberInfos((await admin.cluster.memberRemove({ ID: id }, deadline(callTimeoutMs))).members);
  });
}

/** Promotes the learner with this id to a voting member; returns the membership after. */
export async function promoteMember(cluster: Cluster, id: string, options: ReconfigOptions): Promise<MemberInfo[]> {
  return retrying(cluster, `promoting learner ${id}`, options.budgetMs, async () => {
    const admin = await healthyAdmin(cluster, options.avoid);
    const members = await memberList(admin, callTimeoutMs, true);
    const member = members.find((candidate) => candidate.id === id);
    if (!member) throw new PermanentError(`member ${id} is not in etcd's member list`);
    if (!member.isLearner) return members;
    return memberInfos((await admin.cluster.memberPromote({ ID: id }, deadline(callTimeoutMs))).members);
  });
}

/** The membership as the leader (or, failing that, another voting member) sees it. */
export async function currentMembers(cluster: Cluster, options: ReconfigOptions): Promise<MemberInfo[]> {
  return retrying(cluster, "reading the member list", options.budgetMs, async () => memberList(await healthyAdmin(cluster, options.avoid), callTimeoutMs, true));
}

/** Admin client of the leader if it may be asked, else of any other voting member that answers. */
async function healthyAdmin(cluster: Cluster, avoid: string | undefined): Promise<Etcd3> {
  const statuses = await cluster.statuses(1000);
  const answering = cluster.members.filter((member) => member.name !== avoid && !member.learner && !(statuses.get(member.name) instanceof Error));
  const isLeader = (member: ClusterMember): boolean => {
    const status = statuses.get(member.name) as MemberStatus;
    return status.leaderId === status.memberId;
  };
  const chosen = answering.find(isLeader) ?? answering[0];
  if (!chosen) throw new Error(`no voting member${avoid ? ` other than ${avoid}` : ""} answered its status`);
  return chosen.admin;
}

async function retrying<T>(cluster: Cluster, what: string, budgetMs: number, attempt: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (let attempts = 1; ; attempts++) {
    if (cluster.stopping) throw new Error(`${what}: cluster ${cluster.clusterId} is stopping`);
    let message: string;
    try {
      return await attempt();
    } catch (error) {
      message = errorMessage(error);
      if (error instanceof PermanentError || isPermanentRefusal(message)) throw new Error(`${what}: ${message}`);
    }
    if (Date.now() - started > budgetMs) throw new Error(`${what} did not succeed within ${budgetMs}ms (${attempts} attempts); last answer: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, retryPauseMs));
  }
}
