// The harness as a library: clusters, faults on links, workloads and checkers, for tests and scripts.
export { startCluster, StartedCluster, type ClusterSpec, type Member } from "./cluster/cluster.ts";
export { crossingLinks, type DirectedLink } from "./cluster/peer-links.ts";
export { linkName, linkToxicsOf, parseLink, type Link, type ToxicSpec } from "./cluster/link-toxics.ts";
export { storageOf, compactRevisionOf, type Storage } from "./cluster/member-storage.ts";
export { kvHash, memberStatus, type MemberStatus } from "./cluster/member-status.ts";
export { etcdClient, deadline } from "./clients/etcd-client.ts";
export { classifyFailure, failureRules } from "./clients/outcome.ts";
export type { HistoryEntry } from "./history/entry.ts";
export { readHistoryFile, parseHistory } from "./history/history-file.ts";
export { defaultEtcdVersion, prepareRunEnvironment } from "./images/run-images.ts";
export { etcdVersions } from "./images/catalog.ts";
export { runWorkload, type WorkloadRun, type WorkloadRunOptions } from "./workload/run-workload.ts";
export { workloadNamed, workloadNames } from "./workload/registry.ts";
export type { WorkloadSettings } from "./workload/workload.ts";
export { checkHistory, createModel } from "../checkers/linearizability/index.ts";
export { nemesisNamed, nemeses } from "../nemesis/registry.ts";
