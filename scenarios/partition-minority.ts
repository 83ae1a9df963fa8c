// partition-minority: cut one member off (a follower, then the leader) while clients write and read everywhere.
import { baseSettings, type Scenario } from "./scenario.ts";

const warmupMs = 2000;
const recoveryMs = 2000;
const tailMs = 2000;

export const partitionMinority: Scenario = {
  name: "partition-minority",
  summary: "isolate a follower, then the leader; the minority must refuse, the majority serve, all converge",
  defaults: baseSettings,
  allowedNodes: [3, 5, 7],
  schedule({ timeMs }) {
    const windowMs = Math.max(3000, (timeMs - warmupMs - recoveryMs - tailMs) / 2);
    return [
      { atMs: warmupMs, fault: "partition", target: "follower", durationMs: windowMs },
      { atMs: warmupMs + windowMs + recoveryMs, fault: "partition", target: "leader", durationMs: windowMs },
    ];
  },
  checkers: ["minority-refuses", "majority-available", "convergence", "faults-took-effect"],
  expected: "valid",
};
