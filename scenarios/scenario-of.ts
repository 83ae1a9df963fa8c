// A scenario spec (record/scenario-spec.ts) made runnable: its settings, its schedule for given settings and seed, its checkers.
import type { FaultStep } from "../record/fault.ts";
import { formatDurationMs, parseDurationMs } from "../record/duration.ts";
import type { CheckerSpec } from "../record/results.ts";
import type { DurationText, ScenarioSpec, ScheduleSpec } from "../record/scenario-spec.ts";
import type { RunSettings } from "../record/settings.ts";
import { parseFlag } from "../harness/cluster/member-flags.ts";
import { releaseOf } from "../harness/images/etcd-releases.ts";
import { defaultFaultCycle } from "../nemesis/nemesis.ts";
import { nemeses } from "../nemesis/registry.ts";
import { workloads } from "../workloads/registry.ts";
import { scheduleForSeed } from "./random-schedule.ts";
import { baseSettings, type Scenario } from "./scenario.ts";

const phaseDefaults = { warmupMs: 2000, recoveryMs: 2000, tailMs: 2000, minWindowMs: 3000 };

export const ms = (value: DurationText): number => (typeof value === "number" ? value : parseDurationMs(value)!);

export function scenarioOf(spec: ScenarioSpec): Scenario {
  const schedule = scheduleOf(spec.schedule);
  const entries = spec.checkers ?? [];
  // A regression scenario runs the release with the bug unless its etcd section names another.
  const etcd = { ...(spec.regression ? { release: spec.regression.buggy } : {}), ...spec.etcd };
  return {
    name: spec.name,
    summary: spec.summary ?? "",
    spec,
    defaults: settingsOf(spec),
    allowedNodes: spec.allowedNodes ?? [1, 2, 3, 4, 5, 6, 7, 8, 9],
    ...(etcd.flags ? { etcdFlags: etcd.flags.map(parseFlag) } : {}),
    ...(etcd.release !== undefined || etcd.members || etcd.memberFlags || etcd.corruptionChecks
      ? {
          etcd: {
            ...(etcd.release !== undefined ? { release: etcd.release } : {}),
            ...(etcd.members ? { members: etcd.members } : {}),
            ...(etcd.memberFlags ? { memberFlags: Object.fromEntries(Object.entries(etcd.memberFlags).map(([member, flags]) => [member, flags.map(parseFlag)])) } : {}),
            ...(etcd.corruptionChecks ? { corruptionChecks: true } : {}),
          },
        }
      : {}),
    schedule,
    checkers: (steps: FaultStep[]): CheckerSpec[] =>
      entries.flatMap((entry) => {
        if (typeof entry === "string") return [{ name: entry }];
        if (entry.whenFault !== undefined && !steps.some((step) => step.fault === entry.whenFault)) return [];
        return [{ name: entry.name, ...(entry.options !== undefined ? { options: entry.options } : {}) }];
      }),
    expected: spec.expected ?? "valid",
  };
}

/**
 * What a run of the scenario on etcd `version` should end with: a regression scenario expects its bug
 * (invalid) on its buggy release, since that is what it is for, and the scenario's own verdict elsewhere.
 */
export function expectedOn(scenario: Scenario, version: string): Scenario["expected"] {
  const buggy = scenario.spec.regression?.buggy;
  return buggy !== undefined && releaseOf(version).release === releaseOf(buggy).release ? "invalid" : scenario.expected;
}

/** The base settings, the workload's own defaults over them, and the spec's settings over both. */
function settingsOf(spec: ScenarioSpec): RunSettings {
  const settings = spec.settings ?? {};
  return {
    ...baseSettings,
    ...workloads.find((workload) => workload.name === spec.workload)?.defaults,
    ...(spec.nodes !== undefined ? { nodes: spec.nodes } : {}),
    ...(spec.time !== undefined ? { timeMs: ms(spec.time) } : {}),
    ...(spec.workload !== undefined ? { workload: spec.workload } : {}),
    ...(settings.rate !== undefined ? { rate: settings.rate } : {}),
    ...(settings.concurrency !== undefined ? { concurrency: settings.concurrency } : {}),
    ...(settings.keys !== undefined ? { keys: settings.keys } : {}),
    ...(settings.distribution !== undefined ? { distribution: settings.distribution } : {}),
    ...(settings.readMode !== undefined ? { readMode: settings.readMode } : {}),
    ...(settings.casCompare !== undefined ? { casCompare: settings.casCompare } : {}),
    ...(settings.opTimeout !== undefined ? { opTimeoutMs: ms(settings.opTimeout) } : {}),
    ...(settings.lockTtl !== undefined ? { lockTtlSeconds: Math.max(1, Math.round(ms(settings.lockTtl) / 1000)) } : {}),
    ...(settings.lockHold !== undefined ? { lockHoldMs: [ms(settings.lockHold[0]), ms(settings.lockHold[1])] as [number, number] } : {}),
    ...(settings.watchSession !== undefined ? { watchSessionMs: ms(settings.watchSession) } : {}),
    ...(settings.watchProgress !== undefined ? { watchProgressMs: ms(settings.watchProgress) } : {}),
    ...(settings.watchOneShots !== undefined ? { watchOneShots: settings.watchOneShots } : {}),
    ...(settings.compactEvery !== undefined ? { compactEveryMs: ms(settings.compactEvery) } : {}),
    ...(settings.readShare !== undefined ? { readShare: settings.readShare } : {}),
    ...(settings.casShare !== undefined ? { casShare: settings.casShare } : {}),
    ...(settings.writeMix !== undefined ? { writeMix: settings.writeMix } : {}),
    ...(settings.watchHop !== undefined ? { watchHop: settings.watchHop } : {}),
    ...(settings.clientEndpoints !== undefined ? { clientEndpoints: settings.clientEndpoints } : {}),
    ...(settings.tls !== undefined ? { tls: settings.tls } : {}),
    ...(settings.auth !== undefined ? { auth: settings.auth } : {}),
  };
}

/** The schedule function of a spec: times relative to the workload's start. */
export function scheduleOf(schedule: ScheduleSpec | undefined): Scenario["schedule"] {
  if (!schedule) return () => [];
  if (schedule.random) {
    const { faults, minSteps } = schedule.random;
    return (settings, seed) => scheduleForSeed(settings, seed, faults, minSteps);
  }
  if (schedule.steps) {
    const steps = schedule.steps;
    // A step that would not end before the run does is left out: a shorter run plays only the steps that fit.
    return ({ timeMs }) =>
      steps
        .map((step) => ({
          atMs: typeof step.at === "string" && step.at.endsWith("%") ? (timeMs * Number(step.at.slice(0, -1))) / 100 : ms(step.at),
          fault: step.fault,
          target: step.target,
          durationMs: step.duration !== undefined ? ms(step.duration) : 0,
          ...(step.params ? { params: step.params } : {}),
        }))
        .filter((step) => step.atMs + step.durationMs <= timeMs);
  }
  const warmupMs = schedule.warmup !== undefined ? ms(schedule.warmup) : phaseDefaults.warmupMs;
  const tailMs = schedule.tail !== undefined ? ms(schedule.tail) : phaseDefaults.tailMs;
  if (schedule.cycle) {
    const faults = schedule.cycle;
    // On for its interval, healed for its interval, the next; the last healed at least `tailMs` before the workload ends.
    return (settings) => {
      const steps: FaultStep[] = [];
      let atMs = warmupMs;
      for (let turn = 0; ; turn++) {
        const phase = faults[turn % faults.length]!;
        const { onMs, offMs } = cycleOf(phase.fault, schedule, settings);
        if (atMs + onMs > settings.timeMs - tailMs) return steps;
        steps.push({ atMs, fault: phase.fault, target: phase.target, durationMs: onMs, ...(phase.params ? { params: phase.params } : {}) });
        atMs += onMs + offMs;
      }
    };
  }
  if (schedule.repeat) {
    const cycle = schedule.repeat;
    const everyMs = ms(schedule.every!);
    // A fault every `everyMs` from the warm-up on, the last one healed at least `tailMs` before the workload ends.
    return ({ timeMs }) => {
      const steps: FaultStep[] = [];
      for (let turn = 0; ; turn++) {
        const { duration, ...step } = cycle[turn % cycle.length]!;
        const next: FaultStep = { atMs: warmupMs + turn * everyMs, fault: step.fault, target: step.target, durationMs: duration !== undefined ? ms(duration) : 0, ...(step.params ? { params: step.params } : {}) };
        if (next.atMs + next.durationMs > timeMs - tailMs) return steps;
        steps.push(next);
      }
    };
  }
  const phases = schedule.phases!;
  const recoveryMs = schedule.recovery !== undefined ? ms(schedule.recovery) : phaseDefaults.recoveryMs;
  const minWindowMs = schedule.minWindow !== undefined ? ms(schedule.minWindow) : phaseDefaults.minWindowMs;
  // A warm-up, each fault for an equal window, recovery between them, a tail.
  return ({ timeMs }) => {
    const windowMs = Math.max(minWindowMs, (timeMs - warmupMs - tailMs - recoveryMs * (phases.length - 1)) / phases.length);
    return phases.map((phase, index) => ({
      atMs: warmupMs + index * (windowMs + recoveryMs),
      fault: phase.fault,
      target: phase.target,
      durationMs: windowMs,
      ...(phase.params ? { params: phase.params } : {}),
    }));
  };
}

/** A cycling fault's interval: the user's (--fault-interval), else the schedule's on/off, else the fault family's own. */
function cycleOf(fault: string, schedule: ScheduleSpec, settings: RunSettings): { onMs: number; offMs: number } {
  const own = nemeses[fault]?.cycle ?? defaultFaultCycle;
  return {
    onMs: settings.faultInterval?.onMs ?? (schedule.on !== undefined ? ms(schedule.on) : own.onMs),
    offMs: settings.faultInterval?.offMs ?? (schedule.off !== undefined ? ms(schedule.off) : own.offMs),
  };
}

/** The scenario's spec with every setting spelled out (members, time, workload knobs), as a file to start from: it runs the same. */
export function filledSpec(scenario: Scenario): ScenarioSpec {
  const { spec, defaults } = scenario;
  return {
    name: spec.name,
    ...(spec.summary ? { summary: spec.summary } : {}),
    nodes: defaults.nodes,
    ...(spec.allowedNodes ? { allowedNodes: spec.allowedNodes } : {}),
    time: formatDurationMs(defaults.timeMs),
    workload: defaults.workload,
    settings: {
      rate: defaults.rate,
      concurrency: defaults.concurrency,
      keys: defaults.keys,
      distribution: defaults.distribution,
      readMode: defaults.readMode,
      casCompare: defaults.casCompare,
      opTimeout: formatDurationMs(defaults.opTimeoutMs),
      ...(defaults.lockTtlSeconds !== undefined ? { lockTtl: `${defaults.lockTtlSeconds}s` } : {}),
      ...(defaults.lockHoldMs ? { lockHold: [formatDurationMs(defaults.lockHoldMs[0]), formatDurationMs(defaults.lockHoldMs[1])] as [string, string] } : {}),
      ...(defaults.watchSessionMs !== undefined ? { watchSession: formatDurationMs(defaults.watchSessionMs) } : {}),
      ...(defaults.watchProgressMs !== undefined ? { watchProgress: formatDurationMs(defaults.watchProgressMs) } : {}),
      ...(defaults.watchOneShots ? { watchOneShots: defaults.watchOneShots } : {}),
      ...(defaults.compactEveryMs !== undefined ? { compactEvery: formatDurationMs(defaults.compactEveryMs) } : {}),
      ...(defaults.readShare !== undefined ? { readShare: defaults.readShare } : {}),
      ...(defaults.casShare !== undefined ? { casShare: defaults.casShare } : {}),
      ...(defaults.writeMix !== undefined ? { writeMix: defaults.writeMix } : {}),
      ...(defaults.watchHop !== undefined ? { watchHop: defaults.watchHop } : {}),
      ...(defaults.clientEndpoints !== undefined ? { clientEndpoints: defaults.clientEndpoints } : {}),
      ...(defaults.tls !== undefined ? { tls: defaults.tls } : {}),
      ...(defaults.auth !== undefined ? { auth: defaults.auth } : {}),
    },
    ...(spec.etcd ? { etcd: spec.etcd } : {}),
    ...(spec.schedule ? { schedule: spec.schedule } : {}),
    checkers: (spec.checkers ?? []).map((entry) => (typeof entry !== "string" && Object.keys(entry).length === 1 ? entry.name : entry)),
    expected: scenario.expected,
    ...(spec.regression ? { regression: spec.regression } : {}),
  };
}
