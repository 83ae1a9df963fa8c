// `harness run <scenario>`: one run against a real cluster, a verdict, an exit code and a report folder.
import path from "node:path";
import { type Command, Option } from "commander";
import type { RunSettings } from "../../record/settings.ts";
import { writeReportSafely } from "../../reports/report.ts";
import { resolvePlan } from "../../runner/plan.ts";
import { scenarioNamed, scenarios } from "../../scenarios/registry.ts";
import { looksLikeScenarioFile, readScenarioFile } from "../../scenarios/scenario-file.ts";
import { scenarioOf } from "../../scenarios/scenario-of.ts";
import { usageError } from "../../harness/errors.ts";
import { defaultRunsDir } from "../../harness/paths.ts";
import { randomSeed } from "../../harness/random.ts";
import { runScenario } from "../../runner/run-scenario.ts";
import { workloadNamed, workloadNames } from "../../workloads/registry.ts";
import { addEtcdOptions, etcdRequestOf, type EtcdOptions } from "./etcd-options.ts";
import { duration, faultInterval, integerIn, oneOf, positiveNumber } from "./options.ts";
import { progressLine, reportRun } from "./report-run.ts";
import { defaultShrinkBudgetMs, shrinkAndReport } from "./shrink.ts";

interface RunOptions extends EtcdOptions {
  shrink?: boolean;
  shrinkBudget: number;
  workload?: string;
  keys?: number;
  distribution?: RunSettings["distribution"];
  casCompare?: RunSettings["casCompare"];
  opTimeout?: number;
  nodes?: number;
  time?: number;
  rate?: number;
  concurrency?: number;
  seed?: number;
  readMode?: RunSettings["readMode"];
  faultInterval?: { onMs: number; offMs?: number };
  tls?: RunSettings["tls"];
  auth?: boolean;
  authToken?: RunSettings["auth"];
  clientEndpoints?: RunSettings["clientEndpoints"];
  out: string;
  json?: boolean;
}

export function addRunCommand(program: Command): void {
  const command = program
    .command("run")
    .description("run a scenario against a real etcd cluster and check what it recorded")
    .argument("<scenario>", "scenario name (see `harness list`), or a scenario file (.yaml, .yml, .json; see `harness show`)")
    .option("--workload <name>", `client workload: ${workloadNames.join(", ")} (default: the scenario's)`, oneOf(workloadNames))
    .option("--nodes <n>", "cluster members, 1 to 9 (each scenario names the sizes it runs on)", integerIn(1, 9));
  addEtcdOptions(command)
    .option("--time <duration>", "how long the workload runs, e.g. 30s or 2m", duration(5_000, 24 * 3_600_000))
    .option("--rate <ops>", "operations per second over all clients", positiveNumber(100_000))
    .option("--concurrency <n>", "concurrent client processes", integerIn(1, 1000))
    .option("--seed <n>", "seed for every random choice; a run with the same seed replays them", integerIn(0, 2 ** 31 - 1))
    .option("--read-mode <mode>", "linearizable or serializable reads", oneOf(["linearizable", "serializable"] as const))
    .option("--keys <n>", "keys (registers, lists, objects or locks) the workload spreads over", integerIn(1, 100_000))
    .option("--distribution <name>", "how keys are chosen: uniform or zipf", oneOf(["uniform", "zipf"] as const))
    .option("--cas-compare <target>", "register cas compares the value or the mod revision", oneOf(["value", "mod-revision"] as const))
    .option("--op-timeout <duration>", "deadline of every client call", duration(50, 600_000))
    .option("--fault-interval <on/off>", "a cycling scenario's faults stay in place `on`, then stay healed `off`, e.g. 2s/3s (default: each fault's own)", faultInterval)
    .option("--tls <links>", "TLS with client certificates on the members' client links, peer links or both (certificates made for the run)", oneOf(["client", "peer", "both"] as const))
    .option("--auth", "authentication on: the workload runs as a user whose role covers only its keys")
    .addOption(new Option("--auth-token <kind>", "with --auth: simple tokens or JWT (keys made for the run)").argParser(oneOf(["simple", "jwt"] as const)))
    .option("--client-endpoints <which>", "member: each client process talks to one member; all: each is given every member, as applications are", oneOf(["member", "all"] as const))
    .option("--out <dir>", "parent folder of the report folder", defaultRunsDir)
    .option("--json", "print results.json on stdout and nothing else there")
    .option("--shrink", "when the run ends invalid, shrink it at once (see harness shrink)")
    .addOption(new Option("--shrink-budget <duration>", "how long --shrink may take").argParser(duration(10_000, 24 * 3_600_000)).default(defaultShrinkBudgetMs, "10m"))
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  harness run partition-minority",
        "  harness run partition-minority --etcd 3.5.35 --time 40s --seed 7",
        "  harness run partition-minority --etcd 3.5.21                # any published release, built on first use",
        "  harness run failpoint-crash --etcd 3.6.16+failpoints --seed 4   # members crashed at etcd's failpoints",
        "  harness run kill-leader --etcd-source ~/src/etcd              # your working tree",
        "  harness run kill-leader --etcd-image my-registry/etcd:v3.5.9 --etcd-binary /usr/local/bin/etcd",
        "  harness run partition-leader --etcd-flag heartbeat-interval=1000 --etcd-flag election-timeout=5000",
        "  harness run kill-follower --member-etcd n3=3.6.16 --member-etcd-flag n3:snapshot-count=500",
        "  harness show partition-minority > mine.yaml && harness run mine.yaml --seed 7   # your own scenario",
        "  harness run partition-minority --read-mode serializable --json > results.json",
        "  harness run steady --workload append --time 30s --keys 8",
        "  harness run pause-leader --time 60s --fault-interval 2s/3s       # pause, resume, pause again, ...",
        "",
        "Exit codes: 0 valid, 1 a checker found a violation, 2 unknown, 64 usage, 69 environment, 70 internal.",
      ].join("\n"),
    )
    .action(async (name: string, options: RunOptions) => {
      const scenario = looksLikeScenarioFile(name) ? scenarioOf(readScenarioFile(name)) : scenarioNamed(name);
      // Another workload than the scenario's brings its own defaults; the scenario's settings already hold its workload's.
      const workload = workloadNamed(options.workload ?? scenario.defaults.workload);
      const settings: RunSettings = {
        ...scenario.defaults,
        ...(workload.name !== scenario.defaults.workload ? workload.defaults : {}),
        workload: workload.name,
        ...(options.keys !== undefined ? { keys: options.keys } : {}),
        ...(options.distribution !== undefined ? { distribution: options.distribution } : {}),
        ...(options.casCompare !== undefined ? { casCompare: options.casCompare } : {}),
        ...(options.opTimeout !== undefined ? { opTimeoutMs: options.opTimeout } : {}),
        ...(options.nodes !== undefined ? { nodes: options.nodes } : {}),
        ...(options.time !== undefined ? { timeMs: options.time } : {}),
        ...(options.rate !== undefined ? { rate: options.rate } : {}),
        ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
        ...(options.readMode !== undefined ? { readMode: options.readMode } : {}),
        ...(options.faultInterval !== undefined ? { faultInterval: options.faultInterval } : {}),
        ...(options.tls !== undefined ? { tls: options.tls } : {}),
        ...(options.auth ? { auth: options.authToken ?? "simple" } : {}),
        ...(options.clientEndpoints !== undefined ? { clientEndpoints: options.clientEndpoints } : {}),
      };
      if (options.authToken !== undefined && !options.auth) throw usageError(`--auth-token ${options.authToken}: goes with --auth, which turns authentication on`);
      if (!scenario.allowedNodes.includes(settings.nodes)) {
        throw usageError(`--nodes ${settings.nodes}: ${scenario.name} runs on ${scenario.allowedNodes.join(", ")} members`);
      }
      if (options.faultInterval !== undefined && !scenario.spec.schedule?.cycle) {
        throw usageError(`--fault-interval: ${scenario.name} does not cycle its faults (scenarios that do: ${cyclingScenarioNames().join(", ")})`);
      }
      const seed = options.seed ?? randomSeed();
      // Every name the scenario uses is resolved here, before anything starts.
      const plan = resolvePlan(scenario, settings, seed);
      const etcd = await etcdRequestOf(options, settings.nodes, scenario.etcd);
      const results = await runScenario({
        plan,
        etcd,
        seed,
        outDir: path.resolve(options.out),
        report: writeReportSafely,
        say: progressLine,
      });
      process.exitCode = reportRun(results, options.json === true);
      if (options.shrink && results.verdict === "invalid") {
        await shrinkAndReport(results, path.resolve(results.reportDir), options.shrinkBudget, path.resolve(options.out));
      }
    });
}

const cyclingScenarioNames = (): string[] => scenarios.filter((scenario) => scenario.spec.schedule?.cycle).map((scenario) => scenario.name);
