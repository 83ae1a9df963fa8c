// Which member a client process is bound to while membership changes: its home while that is a member,
// else the member it is on while that is one, else what the caller picks among the members left.
import type { Cluster } from "../harness/cluster/backend.ts";
export function memberToBind(members: string[], home: string, current: string, elsewhere: (members: string[]) => string): string {
  if (members.includes(home)) return home;
  if (members.includes(current)) return current;
  return elsewhere(members);
}

/** The member whose client link is at `endpoint` (host:port), if any: where a client given every member sent a call. */
export function memberAtEndpoint(cluster: Pick<Cluster, "names" | "clientEndpoint">, endpoint: string | undefined): string | undefined {
  return endpoint === undefined ? undefined : cluster.names.find((name) => cluster.clientEndpoint(name) === endpoint);
}
