// Every member's endpoint status as the operators' write-ups print it (etcdctl endpoint status -w table), asked on each member's own port.
import type { Cluster } from "../harness/cluster/backend.ts";
import { deadline } from "../harness/clients/etcd-client.ts";
import { errorMessage } from "../harness/clients/outcome.ts";

export interface EndpointStatus {
  member: string;
  /** The member's client endpoint applications use (through its client link), host:port. */
  endpoint: string;
  /** etcd's member id in hex, as etcdctl prints it; absent when the member did not answer. */
  id?: string;
  version?: string;
  dbSizeBytes?: number;
  dbSizeInUseBytes?: number;
  isLeader?: boolean;
  isLearner?: boolean;
  raftTerm?: number;
  raftIndex?: number;
  raftAppliedIndex?: number;
  /** etcd's alarms and errors, or why the member did not answer. */
  errors: string[];
}

export async function endpointStatuses(cluster: Cluster, timeoutMs = 1000): Promise<EndpointStatus[]> {
  return Promise.all(
    cluster.members.map(async (member): Promise<EndpointStatus> => {
      const endpoint = cluster.clientEndpoint(member.name);
      try {
        const status = (await member.admin.maintenance.status(deadline(timeoutMs))) as Awaited<ReturnType<typeof member.admin.maintenance.status>> & { dbSizeInUse?: string; isLearner?: boolean };
        const id = BigInt(status.header.member_id);
        return {
          member: member.name,
          endpoint,
          id: id.toString(16),
          version: status.version,
          dbSizeBytes: Number(status.dbSize),
          ...(status.dbSizeInUse !== undefined ? { dbSizeInUseBytes: Number(status.dbSizeInUse) } : {}),
          isLeader: status.leader === status.header.member_id,
          isLearner: status.isLearner ?? false,
          raftTerm: Number(status.raftTerm),
          raftIndex: Number(status.raftIndex),
          raftAppliedIndex: Number(status.raftAppliedIndex ?? status.raftIndex),
          errors: status.errors ?? [],
        };
      } catch (error) {
        return { member: member.name, endpoint, errors: [errorMessage(error)] };
      }
    }),
  );
}

const columns: Array<[string, (row: EndpointStatus) => string]> = [
  ["ENDPOINT", (row) => `${row.member} (${row.endpoint})`],
  ["ID", (row) => row.id ?? ""],
  ["VERSION", (row) => row.version ?? ""],
  ["DB SIZE", (row) => (row.dbSizeBytes === undefined ? "" : bytes(row.dbSizeBytes))],
  ["IS LEADER", (row) => (row.isLeader === undefined ? "" : String(row.isLeader))],
  ["IS LEARNER", (row) => (row.isLearner === undefined ? "" : String(row.isLearner))],
  ["RAFT TERM", (row) => String(row.raftTerm ?? "")],
  ["RAFT INDEX", (row) => String(row.raftIndex ?? "")],
  ["RAFT APPLIED INDEX", (row) => String(row.raftAppliedIndex ?? "")],
  ["ERRORS", (row) => row.errors.join(", ")],
];

/** The statuses as etcdctl's table: one row per member, boxed. */
export function statusTable(rows: readonly EndpointStatus[]): string {
  const cells = rows.map((row) => columns.map(([, cell]) => cell(row)));
  const widths = columns.map(([title], index) => Math.max(title.length, ...cells.map((row) => row[index]!.length)));
  const rule = `+${widths.map((width) => "-".repeat(width + 2)).join("+")}+`;
  const line = (values: string[]): string => `|${values.map((value, index) => ` ${value.padEnd(widths[index]!)} `).join("|")}|`;
  return [rule, line(columns.map(([title]) => title)), rule, ...cells.map(line), rule].join("\n");
}

function bytes(count: number): string {
  if (count < 1024) return `${count} B`;
  if (count < 1024 * 1024) return `${(count / 1024).toFixed(0)} kB`;
  return `${(count / 1024 / 1024).toFixed(1)} MB`;
}
