// Process scenarios: kills, pauses and restarts of the leader, a follower, a majority, or everyone in turn.
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./fault-checkers.ts";

/**
 * `serving`: the members the fault leaves must keep acknowledging writes while it lasts. `cycles`: the
 * fault comes and goes (in place 3 s, healed 3 s, again) so a longer run means more transitions;
 * otherwise it holds one window over the run.
 */
const processScenario = (name: string, summary: string, fault: string, target: string, serving: boolean, cycles = true): ScenarioSpec => ({
  name,
  summary,
  allowedNodes: [3, 5, 7],
  schedule: cycles ? { cycle: [{ fault, target }] } : { phases: [{ fault, target }] },
  checkers: faultCheckers(availability(serving ? [fault] : [])),
});

export const killLeader = processScenario("kill-leader", "SIGKILL the leader, again every 6s; the rest elect another; it restarts on its data and catches up", "kill", "leader", true);
export const killFollower = processScenario("kill-follower", "SIGKILL a follower, again every 6s; the cluster keeps serving; it restarts and catches up", "kill", "follower", true);
export const killMajority = processScenario("kill-majority", "SIGKILL a majority; the cluster stops serving; all restart and nothing acknowledged is lost", "kill", "majority", false, false);
export const pauseLeader = processScenario("pause-leader", "SIGSTOP the leader (sockets open, no answers) for 3s, again every 6s; the rest elect another; SIGCONT", "pause", "leader", true);
export const pauseFollower = processScenario("pause-follower", "SIGSTOP a follower for 3s, again every 6s; the cluster keeps serving; SIGCONT and it catches up", "pause", "follower", true);
export const rollingRestart = processScenario("rolling-restart", "gracefully restart every member in turn under load", "rolling-restart", "all", false, false);
