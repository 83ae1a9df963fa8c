// `harness list`: one line per scenario.
import type { Command } from "commander";
import { scenarios } from "../../scenarios/registry.ts";

export function addListCommand(program: Command): void {
  program
    .command("list")
    .description("list the scenarios, one per line")
    .action(() => {
      const width = Math.max(...scenarios.map((scenario) => scenario.name.length));
      for (const scenario of scenarios) {
        const { nodes, timeMs } = scenario.defaults;
        const regression = scenario.spec.regression;
        const expects = regression ? `expects invalid on ${regression.buggy} (its bug), ${scenario.expected} on ${regression.fixed}` : `expects ${scenario.expected}`;
        console.log(`${scenario.name.padEnd(width)}  ${scenario.summary} [${nodes} member${nodes === 1 ? "" : "s"}, ${timeMs / 1000}s, ${expects}]`);
      }
    });
}
