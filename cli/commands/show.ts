// `harness show <scenario>`: a scenario as a YAML file to start from; `harness run <file>` runs it the same way.
import type { Command } from "commander";
import { Document, isScalar, visit } from "yaml";
import { scenarioNamed } from "../../scenarios/registry.ts";
import { looksLikeScenarioFile, readScenarioFile } from "../../scenarios/scenario-file.ts";
import { filledSpec, scenarioOf } from "../../scenarios/scenario-of.ts";

export function addShowCommand(program: Command): void {
  program
    .command("show")
    .description("print a scenario as a YAML scenario file (every setting spelled out) to copy and change")
    .argument("<scenario>", "scenario name (see `harness list`), or a scenario file to print in full")
    .addHelpText(
      "after",
      ["", "Examples:", "  harness show partition-minority > mine.yaml", "  harness run mine.yaml --seed 7      # the same fault schedule as harness run partition-minority --seed 7"].join("\n"),
    )
    .action((name: string) => {
      process.stdout.write(scenarioYaml(name));
    });
}

export function scenarioYaml(name: string): string {
  const scenario = looksLikeScenarioFile(name) ? scenarioOf(readScenarioFile(name)) : scenarioNamed(name);
  const header = [
    `# ${scenario.name}${scenario.summary ? `: ${scenario.summary}` : ""}`,
    "# A scenario file: `harness run <this file>` runs it (command-line options win over what it sets);",
    "# docs/scenario-files.md describes every field.",
  ].join("\n");
  const doc = new Document(filledSpec(scenario));
  // Short lists of plain values read best on one line.
  visit(doc, {
    Seq: (_, node) => {
      if (node.items.length <= 4 && node.items.every((item) => isScalar(item))) node.flow = true;
    },
  });
  return `${header}\n${doc.toString({ lineWidth: 0, flowCollectionPadding: false })}`;
}
