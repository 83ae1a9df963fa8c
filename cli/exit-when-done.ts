// A command that has said its verdict ends with its exit code, whatever a library left open, and says what that was.

/**
 * How long the event loop gets to empty by itself once the command is done: a clean run exits at once;
 * a socket or timer some library keeps (a watch stream reconnecting to a killed member) is cut off.
 */
export const lingerMs = 2000;

/** Arms an exit with `code` after `lingerMs`; an unreferenced timer, so a process with nothing left exits sooner by itself. */
export function exitWhenDone(code: number, write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): void {
  process.exitCode = code;
  const timer = setTimeout(() => {
    const open = openResources();
    write(`harness: done (exit ${code}), but still open after the report was written: ${open || "nothing Node names"}; exiting anyway`);
    process.exit(code);
  }, lingerMs);
  timer.unref();
}

/** What keeps the event loop alive, as "2 TCPWRAP, 1 Timeout" (this module's own timer left out). */
export function openResources(): string {
  const counts = new Map<string, number>();
  for (const resource of process.getActiveResourcesInfo()) counts.set(resource, (counts.get(resource) ?? 0) + 1);
  // The exit timer itself is unreferenced and not listed; stdout and stderr handles are no leak.
  for (const own of ["TTYWrap", "PipeWrap"]) counts.delete(own);
  return [...counts].map(([resource, count]) => `${count} ${resource}`).join(", ");
}
