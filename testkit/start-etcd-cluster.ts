// startEtcdCluster: builds the images a cluster needs on first use (as `npm run setup` does), starts the engine if it can, and starts a healthy cluster for a test.
import { dockerBackend } from "../harness/cluster/docker/docker-cluster.ts";
import { ensureEngine } from "../harness/engine/docker-engine.ts";
import { defaultEtcdVersion, prepareRunEnvironment } from "../harness/images/run-images.ts";
import { EtcdTestCluster } from "./etcd-test-cluster.ts";

export interface EtcdClusterOptions {
  /** Voting members, n1..nN (3 by default; 1 works too). */
  members?: number;
  /** An etcd release the harness builds (`harness doctor` lists them): 3.7.3, 3.6.16, 3.5.35, 3.4.23; the newest built one by default. */
  etcd?: string;
  /** Extra flags for every member, e.g. ["--heartbeat-interval=50"]. */
  etcdFlags?: string[];
  /** Sets --quota-backend-bytes, so fillQuota() can fill it in seconds (16 MiB is plenty). */
  quotaBackendBytes?: number;
  /** Folder for the members' logs (<name>.log, <name>-proxy.log); none by default. */
  logDir?: string;
  /** Budget for every member to agree on a leader at start-up, 60 s by default. */
  startupTimeoutMs?: number;
  /** How long a fault may take to show it bit (a cut-off side losing its leader, ...), 15 s by default. */
  effectBudgetMs?: number;
  /** Where progress lines go (engine start, image builds); stderr by default, () => {} for none. */
  log?: (line: string) => void;
}

/**
 * Starts an etcd cluster in containers, every link through toxiproxy, and waits until every member
 * agrees on a leader. `await using cluster = await startEtcdCluster()` removes it when the block ends;
 * a reaper container removes it too if the test process dies.
 */
export async function startEtcdCluster(options: EtcdClusterOptions = {}): Promise<EtcdTestCluster> {
  const log = options.log ?? ((line: string) => process.stderr.write(`etcd-chaos-harness: ${line}\n`));
  // The engine first: without one, the one line that says how to get one, before anything asks it for images.
  await ensureEngine(log);
  const version = options.etcd ?? (await defaultEtcdVersion());
  await prepareRunEnvironment([version], log);
  const etcdFlags = [...(options.etcdFlags ?? []), ...(options.quotaBackendBytes !== undefined ? [`--quota-backend-bytes=${options.quotaBackendBytes}`] : [])];
  const cluster = await dockerBackend.start({
    size: options.members ?? 3,
    etcdVersion: version,
    ...(etcdFlags.length > 0 ? { etcdFlags } : {}),
    ...(options.logDir !== undefined ? { logDir: options.logDir } : {}),
    ...(options.startupTimeoutMs !== undefined ? { startupTimeoutMs: options.startupTimeoutMs } : {}),
  });
  return new EtcdTestCluster(cluster, options.effectBudgetMs !== undefined ? { effectBudgetMs: options.effectBudgetMs } : {});
}
