#!/usr/bin/env node
// The `harness` command line: parses arguments, runs a command, and turns every failure into one line and an exit code.
import { Command, CommanderError } from "commander";
import { addAnalyzeCommand } from "./commands/analyze.ts";
import { addCheckCommand } from "./commands/check.ts";
import { addDoctorCommand } from "./commands/doctor.ts";
import { addImagesCommand } from "./commands/images.ts";
import { addListCommand } from "./commands/list.ts";
import { addReplayCommand } from "./commands/replay.ts";
import { addRunCommand } from "./commands/run.ts";
import { addShowCommand } from "./commands/show.ts";
import { addShrinkCommand } from "./commands/shrink.ts";
import { HarnessError } from "../harness/errors.ts";
import { ExitCode } from "../harness/exit-codes.ts";
import { RecordError } from "../record/record-error.ts";
import { exitWhenDone } from "./exit-when-done.ts";
import { nodeTooOld } from "./node-version.ts";

const tooOld = nodeTooOld(process.versions.node);
if (tooOld) {
  process.stderr.write(`harness: ${tooOld}\n`);
  process.exit(ExitCode.unavailable);
}

const program = new Command("harness").description(
  "Chaos and fault injection for etcd: real clusters, real faults, verdicts from recorded histories",
);
addRunCommand(program);
addReplayCommand(program);
addAnalyzeCommand(program);
addShrinkCommand(program);
addListCommand(program);
addShowCommand(program);
addCheckCommand(program);
addDoctorCommand(program);
addImagesCommand(program);
program.addHelpText(
  "after",
  [
    "",
    "Examples:",
    "  harness list",
    "  harness run partition-minority                  # the main job: 3 members, a minority cut off twice",
    "  harness run random --seed 11 --json > results.json",
    "  harness replay runs/random-20261121T103613Z      # the same scenario, settings, release, seed and faults",
    "  harness analyze runs/random-20261121T103613Z     # re-check a stored run",
    "  harness shrink runs/partition-minority-20261121T105001Z --budget 5m",
    "  harness check ../shared/data/histories/jepsen-etcd/*.log --json",
    "  harness doctor",
    "",
    "Exit codes: 0 valid, 1 a checker found a violation, 2 unknown, 64 usage, 69 environment, 70 internal.",
  ].join("\n"),
);
for (const command of [program, ...program.commands]) {
  const help = command === program ? "harness --help" : `harness ${command.name()} --help`;
  command.exitOverride().configureOutput({
    outputError: (message, write) => write(`harness: ${message.replace(/^error: /, "").trim()} (see \`${help}\`)\n`),
  });
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}
exitWhenDone(typeof process.exitCode === "number" ? process.exitCode : ExitCode.valid);

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander already printed its message; help and version requests are not errors.
    return error.exitCode === 0 ? ExitCode.valid : ExitCode.usage;
  }
  if (error instanceof HarnessError) {
    process.stderr.write(`harness: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof RecordError) {
    process.stderr.write(`harness: ${error.message}\n`);
    return ExitCode.usage;
  }
  process.stderr.write(`harness: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return ExitCode.internal;
}
