// The etcd flags a user or a scenario adds to the members' command lines: parsed, kept off what the harness owns, merged.

const topology = "every member's links run through its proxies at addresses the harness assigns";
const formation = "the harness forms the cluster from a static member list and changes its membership itself";
const tls = "the harness makes each run's certificates and sets the TLS flags itself: use --tls client|peer|both";

/** Flags the harness sets itself, or that would take the cluster out of its hands, with the reason. */
export const harnessOwnedFlags: Readonly<Record<string, string>> = {
  name: "the harness names the members n1, n2, ...",
  "data-dir": "the harness keeps each member's data where its storage faults and member replacement find it",
  "wal-dir": "the harness keeps each member's data, WAL included, where its storage faults and member replacement find it",
  "listen-peer-urls": topology,
  "listen-client-urls": topology,
  "initial-advertise-peer-urls": topology,
  "advertise-client-urls": topology,
  "initial-cluster": formation,
  "initial-cluster-state": formation,
  "initial-cluster-token": formation,
  discovery: formation,
  "discovery-srv": formation,
  "discovery-srv-name": formation,
  "discovery-token": formation,
  "discovery-endpoints": formation,
  "config-file": "a configuration file makes etcd ignore every command-line flag, the harness's too; give its settings as flags instead",
  logger: "the harness reads each member's structured log from stderr for the report",
  "log-outputs": "the harness reads each member's structured log from stderr for the report",
  "cert-file": tls,
  "key-file": tls,
  "client-cert-auth": tls,
  "trusted-ca-file": tls,
  "auto-tls": tls,
  "peer-cert-file": tls,
  "peer-key-file": tls,
  "peer-client-cert-auth": tls,
  "peer-trusted-ca-file": tls,
  "peer-auto-tls": tls,
};

/** "--heartbeat-interval=100" or "heartbeat-interval=100" -> "heartbeat-interval". */
export function flagName(flag: string): string {
  return flag.replace(/^-+/, "").split("=")[0]!;
}

/**
 * A flag as the user writes it ("heartbeat-interval=100", "--heartbeat-interval=100", or a bare
 * "enable-pprof" for true) as etcd takes it ("--heartbeat-interval=100"); an Error says what is wrong.
 */
export function parseFlag(text: string): string {
  const match = /^-{0,2}([a-z0-9][a-z0-9.-]*)(?:=(.*))?$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not an etcd flag: expected name=value, such as heartbeat-interval=100`);
  const [, name, value] = match;
  const reason = harnessOwnedFlags[name!];
  if (reason) throw new Error(`--${name} is the harness's to set: ${reason}`);
  return value === undefined ? `--${name}` : `--${name}=${value}`;
}

/** `base` with every flag `overrides` also names replaced by the override's value, and the others appended: the overrides win. */
export function mergeFlags(base: readonly string[], overrides: readonly string[]): string[] {
  const named = new Map(overrides.map((flag) => [flagName(flag), flag]));
  const merged = base.map((flag) => named.get(flagName(flag)) ?? flag);
  const present = new Set(base.map(flagName));
  return [...merged, ...overrides.filter((flag) => !present.has(flagName(flag)))];
}

/**
 * etcd's corruption checks as the release spells them: before serving, compare the member's HashKV with
 * its peers' and refuse to start on a difference; every 5 s, the leader compares every member's (the
 * CORRUPT alarm on a difference); every 10 s, the hashes of the last compaction. 3.4 has the first two,
 * 3.5 all three as experimental flags, 3.6 and later as feature gates and plain flags.
 */
export function corruptionCheckFlags(version: string): string[] {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  if (major === 3 && minor <= 4) return ["--experimental-initial-corrupt-check=true", "--experimental-corrupt-check-time=5s"];
  if (major === 3 && minor === 5) {
    return ["--experimental-initial-corrupt-check=true", "--experimental-corrupt-check-time=5s", "--experimental-compact-hash-check-enabled=true", "--experimental-compact-hash-check-time=10s"];
  }
  return ["--feature-gates=InitialCorruptCheck=true,CompactHashCheck=true", "--corrupt-check-time=5s", "--compact-hash-check-time=10s"];
}
