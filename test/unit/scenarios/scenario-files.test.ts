// Scenario files: every built-in printed by `harness show` runs the same when read back; a broken file names its line and field.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scenarioYaml } from "../../../cli/commands/show.ts";
import { HarnessError } from "../../../harness/errors.ts";
import { scenarios } from "../../../scenarios/registry.ts";
import { readScenarioFile } from "../../../scenarios/scenario-file.ts";
import { scenarioOf } from "../../../scenarios/scenario-of.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scenario-files-"));
const write = (name: string, text: string): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};
const refusal = (file: string): string => {
  try {
    readScenarioFile(file);
  } catch (error) {
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).exitCode).toBe(64);
    return (error as Error).message;
  }
  throw new Error(`${file} was accepted`);
};

describe("a built-in scenario shown as a file", () => {
  it.each(scenarios.map((scenario) => [scenario.name]))("%s runs the same from its file: settings, schedule for any seed and size, checkers, etcd flags, verdict", (name) => {
    const builtIn = scenarios.find((scenario) => scenario.name === name)!;
    const fromFile = scenarioOf(readScenarioFile(write(`${name}.yaml`, scenarioYaml(name))));
    expect(fromFile.defaults).toEqual(builtIn.defaults);
    expect(fromFile.allowedNodes).toEqual(builtIn.allowedNodes);
    expect(fromFile.etcdFlags).toEqual(builtIn.etcdFlags);
    expect(fromFile.expected).toBe(builtIn.expected);
    for (const nodes of builtIn.allowedNodes.slice(0, 2)) {
      for (const [timeMs, seed] of [[20_000, 7], [45_000, 42]] as const) {
        const settings = { ...builtIn.defaults, nodes, timeMs };
        const schedule = builtIn.schedule(settings, seed);
        expect(fromFile.schedule(settings, seed)).toEqual(schedule);
        expect(fromFile.checkers(schedule)).toEqual(builtIn.checkers(schedule));
      }
    }
  });

  it("is JSON as well as YAML", () => {
    const spec = readScenarioFile(write("steady.yaml", scenarioYaml("steady")));
    expect(readScenarioFile(write("steady.json", JSON.stringify(spec)))).toEqual(spec);
  });
});

describe("a broken scenario file", () => {
  const base = ["name: mine", "nodes: 3", "time: 20s", "schedule:", "  phases:", "    - fault: partition", "      target: leader"];

  it("names the line of a YAML syntax error", () => {
    expect(refusal(write("syntax.yaml", [...base, "checkers: [split-brain"].join("\n")))).toMatch(/syntax\.yaml:8:\d+: /);
  });

  it("names the line and field of an unknown field, a wrong type and a bad duration", () => {
    expect(refusal(write("unknown.yaml", [...base, "  recovry: 2s"].join("\n")))).toMatch(/unknown\.yaml:5:\d+: schedule: unknown field recovry/);
    expect(refusal(write("type.yaml", base.map((line) => (line === "nodes: 3" ? "nodes: three" : line)).join("\n")))).toMatch(/type\.yaml:2:8: nodes: .*number/i);
    expect(refusal(write("duration.yaml", base.map((line) => (line === "time: 20s" ? "time: twenty" : line)).join("\n")))).toMatch(/duration\.yaml:3:7: time: expected a duration/);
  });

  it("names the line of a fault, target, workload, checker or flag that does not exist", () => {
    const text = ["name: mine", "workload: registr", "schedule:", "  phases:", "    - fault: partiton", "      target: leadr", "checkers: [split-brane]", "etcd:", "  flags: [data-dir=/tmp/x]"].join("\n");
    const message = refusal(write("names.yaml", text));
    expect(message).toMatch(/names\.yaml:2:\d+: workload: no workload named registr/);
    expect(message).toMatch(/names\.yaml:5:\d+: schedule\.phases\[0\]\.fault: no fault named partiton/);
    expect(message).toMatch(/names\.yaml:6:\d+: schedule\.phases\[0\]\.target: "leadr" is neither a role/);
    expect(message).toMatch(/and 2 more$/);
    expect(refusal(write("flag.yaml", ["name: mine", "etcd:", "  flags: [data-dir=/tmp/x]"].join("\n")))).toMatch(/flag\.yaml:3:\d+: etcd\.flags\[0\]: --data-dir is the harness's to set/);
  });

  it("says which schedule forms there are when it has none or two", () => {
    expect(refusal(write("forms.yaml", ["name: mine", "schedule:", "  every: 2s"].join("\n")))).toMatch(/forms\.yaml:3:\d+: schedule: a schedule has cycle, phases, steps, repeat or random/);
    expect(refusal(write("missing.yaml", "nodes: 3\n"))).toMatch(/missing\.yaml:1:1: name: /);
    expect(refusal(path.join(dir, "absent.yaml"))).toMatch(/absent\.yaml: cannot read the scenario file \(ENOENT\)/);
  });
});

describe("the examples", () => {
  const examples = path.resolve(import.meta.dirname, "../../../examples");
  const files = fs.readdirSync(examples).filter((name) => /\.(ya?ml|json)$/.test(name) && !name.startsWith("github-"));

  it.each(files.map((name) => [name]))("%s is a valid scenario file with faults", (name) => {
    const scenario = scenarioOf(readScenarioFile(path.join(examples, name)));
    expect(scenario.schedule(scenario.defaults, 1).length).toBeGreaterThan(0);
  });

  it("the README's worked example is examples/slow-elections-wan.yaml, field for field", () => {
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, "../../../README.md"), "utf8");
    const block = /```yaml\n(name: slow-elections-wan\n[\s\S]*?)```/.exec(readme)?.[1];
    expect(block, "a yaml block naming slow-elections-wan in README.md").toBeDefined();
    expect(readScenarioFile(write("readme.yaml", block!))).toEqual(readScenarioFile(path.join(examples, "slow-elections-wan.yaml")));
  });
});
