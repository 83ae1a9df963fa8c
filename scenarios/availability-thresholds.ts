// The availability thresholds scenarios hold their runs to (checkers/availability.ts), named by fault.
import type { AvailabilityExpectations, FaultExpectation } from "../checkers/availability.ts";

/**
 * Most seconds from the end of a heal to the first acknowledged write: an election takes 1-2 s, a
 * member restarted on its data answers within about 3 s, a client reconnects within 1 s, and two busy
 * cores can double that. A run keeps its workload going up to 15 s after the last heal for a write to
 * show (runner/run-scenario.ts), so this is always observed.
 */
export const recoveryS = 10;

/**
 * Writes per second a quorum the fault left whole keeps acknowledging: far below what the default
 * workload gets from a healthy cluster (60-100 writes/s), far above a cluster that stopped serving.
 */
export const servingWritesPerSecond = 1;

const serves: FaultExpectation = { minWritesPerSecondDuring: servingWritesPerSecond, maxRecoveryS: recoveryS };
const recovers: FaultExpectation = { maxRecoveryS: recoveryS };

/**
 * A healthy cluster serves before the first fault; through the faults named, the members left whole
 * with a quorum keep serving; after every fault writes resume within `recoveryS`.
 */
export function availability(servingThrough: string[] = [], minWritesPerSecondBefore = servingWritesPerSecond): AvailabilityExpectations {
  return {
    minWritesPerSecondBefore,
    faults: { "*": recovers, ...Object.fromEntries(servingThrough.map((fault) => [fault, serves])) },
  };
}
