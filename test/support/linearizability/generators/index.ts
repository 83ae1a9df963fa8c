// History generators for tests and benchmarks: linearizable by construction, and provably illegal mutations.
export { mutateHistory, type Mutation, type MutationKind } from "./mutations.ts";
export { seededRandom, type Random } from "../../../../harness/random.ts";
export { simulateHistory, type SimulationOptions } from "./simulate.ts";
export { etcdSpec, kvSpec, registerSpec, replay, type Request, type Response, type Spec } from "./specs.ts";
