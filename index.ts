// The harness as a library: clusters (any backend; Docker here), faults as handles, workloads and checkers, for tests and scripts.
export type { Cluster, ClusterBackend, ClusterMember, ClusterSpec } from "./harness/cluster/backend.ts";
export { dockerBackend, startCluster, DockerCluster, type Member } from "./harness/cluster/docker/docker-cluster.ts";
export { crossingLinks, linkName, parseLink, type DirectedLink, type Link, type ToxicSpec } from "./harness/cluster/links.ts";
export { storageOf, compactRevisionOf, type Storage } from "./harness/cluster/member-storage.ts";
export { kvHash, memberStatus, type MemberStatus } from "./harness/cluster/member-status.ts";
export { etcdClient, deadline } from "./harness/clients/etcd-client.ts";
export { classifyFailure, failureRules } from "./harness/clients/outcome.ts";
export { defaultEtcdVersion, prepareRunEnvironment } from "./harness/images/run-images.ts";
export { etcdVersions } from "./harness/images/catalog.ts";
export type { HistoryEntry } from "./record/history/entry.ts";
export { readHistoryFile, parseHistory } from "./record/history/history-file.ts";
export type { WorkloadSettings } from "./record/settings.ts";
export { runWorkload, type WorkloadRun, type WorkloadRunOptions } from "./workloads/run-workload.ts";
export { workloadNamed, workloadNames } from "./workloads/registry.ts";
export { nemesisNamed, nemeses } from "./nemesis/registry.ts";
export type { FaultContext, FaultHandle, Nemesis } from "./nemesis/nemesis.ts";
export { checkHistory, createModel } from "./checkers/linearizability/index.ts";
