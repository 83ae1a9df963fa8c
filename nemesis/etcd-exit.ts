// Why etcd exited, from what it printed last: its fatal or panic log line, or Go's panic.

/** The reason in etcd's words ("failed to open WAL: ...", "panic: ..."), or undefined when the output says none. */
export function exitReasonIn(output: string): string | undefined {
  const lines = output.split("\n").map((line) => line.trim()).filter(Boolean);
  for (let index = lines.length - 1; index >= 0; index--) {
    const line = lines[index]!;
    if (line.startsWith("{")) {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry["level"] === "fatal" || entry["level"] === "panic") return [entry["msg"], entry["error"]].filter((part) => typeof part === "string" && part).join(": ");
      } catch {
        // Not a log entry: a line of a stack, say.
      }
    }
  }
  const panic = lines.find((line) => line.startsWith("panic: "));
  return panic?.slice(0, 300);
}
