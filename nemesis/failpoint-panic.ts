// Where a member died, read from what its etcd printed: gofail's panic and the first etcd frame of its stack.

export interface FailpointPanic {
  /** gofail's panic line, e.g. "panic: failpoint panic: {}". */
  message: string;
  /** The etcd source line the failpoint sits on, e.g. "etcdserver/raft.go:255", when the stack shows it. */
  at?: string;
  /** The etcd function around it, e.g. "etcdserver.(*raftNode).start.func1". */
  function?: string;
}

/** The failpoint panic in a member's output, or undefined when the member did not die of one. */
export function failpointPanicIn(output: string): FailpointPanic | undefined {
  const lines = output.split("\n");
  // The last one: a member's output holds every crash since its container was created.
  const start = lines.findLastIndex((line) => /^panic: failpoint panic/.test(line));
  if (start < 0) return undefined;
  const message = lines[start]!.trim();
  for (let index = start + 1; index < lines.length - 1; index++) {
    const caller = /^go\.etcd\.io\/etcd\/server\/v3\/(.+)\([^()]*\)\s*$/.exec(lines[index]!);
    const source = /^\s+(?:go\.etcd\.io\/etcd\/server\/v3(?:@[^/\s]+)?\/)?(\S+\.go):(\d+)/.exec(lines[index + 1]!);
    if (caller && source) return { message, at: `${source[1]!.replace(/^.*\/server\/v3(@[^/]+)?\//, "")}:${source[2]}`, function: caller[1]! };
  }
  return { message };
}
