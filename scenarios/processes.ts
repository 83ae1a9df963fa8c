// Process scenarios: kills, pauses and restarts of the leader, a follower, a majority, or everyone in turn.
import { faultCheckers, phasedSchedule } from "./phased.ts";
import { baseSettings, type Scenario } from "./scenario.ts";

const processScenario = (name: string, summary: string, fault: string, target: string): Scenario => ({
  name,
  summary,
  defaults: baseSettings,
  allowedNodes: [3, 5, 7],
  schedule: phasedSchedule([{ fault, target }]),
  checkers: faultCheckers,
  expected: "valid",
});

export const killLeader = processScenario("kill-leader", "SIGKILL the leader; the rest elect another; it restarts on its data and catches up", "kill", "leader");
export const killFollower = processScenario("kill-follower", "SIGKILL a follower; the cluster keeps serving; it restarts and catches up", "kill", "follower");
export const killMajority = processScenario("kill-majority", "SIGKILL a majority; the cluster stops serving; all restart and nothing acknowledged is lost", "kill", "majority");
export const pauseLeader = processScenario("pause-leader", "SIGSTOP the leader (sockets open, no answers); the rest elect another; SIGCONT", "pause", "leader");
export const pauseFollower = processScenario("pause-follower", "SIGSTOP a follower; the cluster keeps serving; SIGCONT and it catches up", "pause", "follower");
export const rollingRestart = processScenario("rolling-restart", "gracefully restart every member in turn under load", "rolling-restart", "all");
