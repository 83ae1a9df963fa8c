// Process exit codes of every harness command (the contract in README and DESIGN.md).
export const ExitCode = {
  valid: 0,
  invalid: 1,
  unknown: 2,
  usage: 64,
  unavailable: 69,
  internal: 70,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
