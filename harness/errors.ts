// Errors a user can act on: one line saying what is wrong and how to fix it, and the exit code to end with.
import { ExitCode } from "./exit-codes.ts";

export class HarnessError extends Error {
  readonly exitCode: ExitCode;

  constructor(message: string, exitCode: ExitCode) {
    super(message);
    this.name = "HarnessError";
    this.exitCode = exitCode;
  }
}

/** Bad command line, unknown name or unreadable input file (exit 64). */
export function usageError(message: string): HarnessError {
  return new HarnessError(message, ExitCode.usage);
}

/** Docker engine, image or other prerequisite missing and not fixable here (exit 69). */
export function unavailableError(message: string): HarnessError {
  return new HarnessError(message, ExitCode.unavailable);
}
