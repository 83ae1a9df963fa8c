// Asks an etcd image itself, in a throwaway container: which release it is, and which of the flags a run would give it it refuses.
import { flagName } from "../cluster/member-flags.ts";
import { docker } from "../engine/docker-engine.ts";

/** Label of the probe containers, so a leftover one can be told from a run's. */
export const probeLabel = "etcd-harness.probe";
const probeBudgetMs = 30_000;

export interface EtcdProbe {
  /** "3.6.16", as `etcd --version` reports it. */
  version: string;
  /** Flags the binary's own parser refused, each with its words ("flag provided but not defined: -foo"). */
  refused: Array<{ flag: string; reason: string }>;
}

/**
 * Runs `<binary> <flags> --version` in `image`: etcd parses every flag before it prints its version,
 * so a flag the release does not know, or a value of the wrong type, fails there. A refused flag is
 * dropped and the rest tried again, so every refusal is named, not only the first.
 */
export async function probeEtcd(image: string, binary: string | undefined, flags: string[]): Promise<EtcdProbe> {
  const refused: EtcdProbe["refused"] = [];
  let remaining = [...flags];
  for (;;) {
    const { exitCode, output } = await runOnce(image, binary, [...remaining, "--version"]);
    const version = /etcd Version:\s*(\S+)/.exec(output)?.[1];
    if (exitCode === 0 && version) return { version, refused };
    const reason = output.split("\n").find((line) => /flag provided but not defined|invalid value|invalid argument|bad flag/i.test(line))?.trim();
    const name = reason ? /-{1,2}([\w.-]+)/.exec(reason.replace(/^invalid value "[^"]*" for flag /, ""))?.[1] : undefined;
    const culprit = name === undefined ? undefined : remaining.find((flag) => flagName(flag) === name);
    if (!reason || culprit === undefined) {
      throw new Error(`\`${[binary ?? "<entrypoint>", ...remaining, "--version"].join(" ")}\` in ${image} exited ${exitCode}: ${output.trim().split("\n").slice(0, 3).join(" | ") || "no output"}`);
    }
    refused.push({ flag: culprit, reason });
    remaining = remaining.filter((flag) => flag !== culprit);
  }
}

async function runOnce(image: string, binary: string | undefined, args: string[]): Promise<{ exitCode: number; output: string }> {
  const container = await docker().createContainer({
    Image: image,
    ...(binary ? { Entrypoint: [binary] } : {}),
    Cmd: args,
    User: "0",
    Labels: { [probeLabel]: "version" },
    HostConfig: { NetworkMode: "none" },
  });
  try {
    await container.start();
    let budget: NodeJS.Timeout | undefined;
    const waited = (await Promise.race([
      container.wait(),
      new Promise((_, reject) => (budget = setTimeout(() => reject(new Error(`${image} did not answer --version within ${probeBudgetMs / 1000}s`)), probeBudgetMs))),
    ]).finally(() => clearTimeout(budget))) as { StatusCode: number };
    const logs = await container.logs({ stdout: true, stderr: true, follow: false });
    return { exitCode: waited.StatusCode, output: demultiplex(logs) };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

/** The engine's log stream without its 8-byte frame headers (stdout and stderr interleaved). */
function demultiplex(buffer: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length && (buffer[offset] === 1 || buffer[offset] === 2) && buffer.readUInt16BE(offset + 1) === 0) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return parts.length > 0 ? Buffer.concat(parts).toString("utf8") : buffer.toString("utf8");
}
