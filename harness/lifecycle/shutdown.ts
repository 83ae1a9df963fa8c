// Cleanup on SIGINT/SIGTERM/SIGHUP: every live resource registers its teardown here until it is disposed.
type Teardown = () => Promise<void>;

const teardowns = new Set<Teardown>();
const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
let stopping = false;

/**
 * Registers a teardown to run if the process is interrupted; call the returned function once the
 * resource is disposed. Signal handlers are installed only while something is registered, so the
 * default behaviour of signals is untouched otherwise.
 */
export function onInterrupt(teardown: Teardown): () => void {
  if (teardowns.size === 0) for (const signal of signals) process.on(signal, interrupt);
  teardowns.add(teardown);
  return () => {
    if (teardowns.delete(teardown) && teardowns.size === 0 && !stopping) {
      for (const signal of signals) process.off(signal, interrupt);
    }
  };
}

function interrupt(signal: NodeJS.Signals): void {
  const code = 128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1);
  if (stopping) {
    process.stderr.write(`harness: ${signal} again; exiting now, the reaper removes what is left\n`);
    process.exit(code);
  }
  stopping = true;
  process.stderr.write(`harness: ${signal}; removing containers and networks (send ${signal} again to exit at once)\n`);
  void Promise.allSettled([...teardowns].map((teardown) => teardown())).then(() => process.exit(code));
}
