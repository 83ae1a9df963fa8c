#!/usr/bin/env node
// The `harness` command line: parses arguments and maps outcomes to the exit codes of the contract.
import { Command, CommanderError } from "commander";
import { addCheckCommand } from "./commands/check.ts";
import { HarnessError } from "./errors.ts";
import { ExitCode } from "./exit-codes.ts";

const program = new Command("harness").description("chaos and fault-injection harness for etcd").exitOverride();
addCheckCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : ExitCode.usage;
  else if (error instanceof HarnessError) {
    process.stderr.write(`harness: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`harness: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = ExitCode.internal;
  }
}
