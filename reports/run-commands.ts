// The commands that run a stored run again, as every report file prints them.
import { formatDurationMs } from "../record/duration.ts";
import type { RunResults } from "../record/results.ts";

/** Whether `harness replay` can run it again: a history a test recorded has no scenario behind it. */
export const replayable = (results: Pick<RunResults, "recordedBy">): boolean => results.recordedBy !== "test";

/** Replays the run exactly: scenario, settings, etcd release, seed and the recorded fault schedule. */
export function replayCommand(results: Pick<RunResults, "reportDir">): string {
  return `harness replay ${shellWord(results.reportDir)}`;
}

/** The same scenario with every setting spelled out, as a starting point for changing one. */
export function runCommand(results: Pick<RunResults, "scenario" | "etcd" | "build" | "memberVersions" | "etcdFlags" | "memberEtcdFlags" | "seed" | "settings">): string {
  const { settings, build } = results;
  const etcd =
    !build || build.kind === "release"
      ? [`--etcd ${shellWord(results.etcd)}`]
      : build.kind === "source"
        ? [`--etcd-source ${shellWord(build.dir)}`]
        : [`--etcd-image ${shellWord(build.image)}`, `--etcd-binary ${shellWord(build.binary)}`];
  return [
    "harness run",
    shellWord(results.scenario),
    ...etcd,
    ...Object.entries(results.memberVersions ?? {}).map(([member, version]) => `--member-etcd ${member}=${shellWord(version)}`),
    ...(results.etcdFlags ?? []).map((flag) => `--etcd-flag ${shellWord(flag.replace(/^--/, ""))}`),
    ...Object.entries(results.memberEtcdFlags ?? {}).flatMap(([member, flags]) => flags.map((flag) => `--member-etcd-flag ${shellWord(`${member}:${flag.replace(/^--/, "")}`)}`)),
    `--seed ${results.seed}`,
    `--nodes ${settings.nodes}`,
    `--time ${formatDurationMs(settings.timeMs)}`,
    `--workload ${shellWord(settings.workload)}`,
    `--rate ${settings.rate}`,
    `--concurrency ${settings.concurrency}`,
    `--keys ${settings.keys}`,
    `--distribution ${settings.distribution}`,
    `--read-mode ${settings.readMode}`,
    `--cas-compare ${settings.casCompare}`,
    `--op-timeout ${formatDurationMs(settings.opTimeoutMs)}`,
    ...(settings.tls ? [`--tls ${settings.tls}`] : []),
    ...(settings.auth ? [`--auth --auth-token ${settings.auth}`] : []),
    ...(settings.clientEndpoints ? [`--client-endpoints ${settings.clientEndpoints}`] : []),
  ].join(" ");
}

export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
