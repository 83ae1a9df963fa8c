// The operation a prober sends outside the workload user's permission when auth is on, which etcd must refuse (checkers/auth.ts).
export const outsideWrite = "outside-write";

/** Where its keys live: outside the workload's prefix, among the harness's own keys that final reads leave alone. */
export const outsidePrefix = "__harness/outside/";
