// The linearizability checker's public surface.
export { checkHistory, checkOperations, viewOf, type CheckOptions } from "./check.ts";
export { HistoryShapeError, type HistoryCodec, type HistoryModel, type Model, type Operation } from "./model.ts";
export { operationsOfHistory, type OperationsOfHistory } from "./operations.ts";
export { partitionByKey, partitionByKeys } from "./partition.ts";
export { type Counterexample, type LinearizabilityResult, type OperationView, type PartitionResult, type UnknownReason, type Verdict } from "./result.ts";
export { etcdKvModel, type EtcdInput, type EtcdKvModel, type EtcdKvOptions, type EtcdOutput, type EtcdState } from "./models/etcd-kv.ts";
export { kvModel, type KvInput, type KvModel, type KvState } from "./models/kv.ts";
export { registerModel, type RegisterInput, type RegisterModel } from "./models/register.ts";
export { createModel, guessModel, modelNames, type ModelName } from "./models/index.ts";
