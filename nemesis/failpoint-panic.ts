// Where a member died, read from what its etcd printed: gofail's panic and the first etcd frame of its stack.

export interface FailpointPanic {
  /** gofail's panic, e.g. "panic: failpoint panic: {}", or etcd's fatal entry when etcd recovered it first. */
  message: string;
  /** The etcd source line the failpoint sits on, e.g. "etcdserver/raft.go:255", when the stack shows it. */
  at?: string;
  /** The etcd function around it, e.g. "etcdserver.(*raftNode).start.func1". */
  function?: string;
}

/**
 * The last failpoint panic in a member's output (it holds every crash since its container was
 * created), or undefined when the member did not die of one. Go prints an unrecovered panic and its
 * stack; where etcd recovers the panic itself (defragmentation does) it logs a fatal entry with the
 * panic and the stack as fields, and exits with 1.
 */
export function failpointPanicIn(output: string): FailpointPanic | undefined {
  const lines = output.split("\n");
  for (let index = lines.length - 1; index >= 0; index--) {
    const line = lines[index]!;
    if (/^panic: failpoint panic/.test(line)) return { message: line.trim(), ...failpointFrame(lines.slice(index + 1)) };
    const recovered = recoveredPanic(line);
    if (recovered) return recovered;
  }
  return undefined;
}

function recoveredPanic(line: string): FailpointPanic | undefined {
  if (!line.startsWith("{") || !line.includes("failpoint panic")) return undefined;
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    if (typeof entry["panic"] !== "string" || !entry["panic"].startsWith("failpoint panic")) return undefined;
    const stack = typeof entry["stacktrace"] === "string" ? entry["stacktrace"].split("\n") : [];
    return { message: `${String(entry["msg"])}: ${entry["panic"]}`, ...failpointFrame(stack) };
  } catch {
    return undefined;
  }
}

/** The first etcd frame below gofail's own (the function and line holding the failpoint). */
function failpointFrame(stack: string[]): Pick<FailpointPanic, "at" | "function"> {
  const start = stack.findLastIndex((line) => line.includes("go.etcd.io/gofail"));
  for (let index = Math.max(start, 0); index < stack.length - 1; index++) {
    const caller = /^go\.etcd\.io\/etcd\/server\/v3\/(.+?)(\([^()]*\))?\s*$/.exec(stack[index]!);
    const source = /^\s+(?:go\.etcd\.io\/etcd\/server\/v3(?:@[^/\s]+)?\/)?(\S+\.go):(\d+)/.exec(stack[index + 1]!);
    if (caller && source) return { at: `${source[1]}:${source[2]}`, function: caller[1]! };
  }
  return {};
}
