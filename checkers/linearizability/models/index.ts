// The models `harness check` can choose, by name or from what a history contains.
import type { HistoryEntry } from "../../../record/history/entry.ts";
import type { HistoryFormat } from "../../../record/history/history-file.ts";
import type { AnyHistoryModel } from "../model.ts";
import { etcdKvModel } from "./etcd-kv.ts";
import { kvModel } from "./kv.ts";
import { registerModel } from "./register.ts";

export const modelNames = ["register", "kv", "etcd"] as const;
export type ModelName = (typeof modelNames)[number];

export function createModel(name: ModelName): AnyHistoryModel {
  const model = name === "register" ? registerModel() : name === "kv" ? kvModel() : etcdKvModel();
  return model as unknown as AnyHistoryModel;
}

/**
 * Jepsen logs hold registers; `append` means the kv model; read/write/cas mean registers; etcd requests (txn,
 * delete, or get/put in our own history.jsonl) mean the etcd model.
 */
export function guessModel(entries: readonly HistoryEntry[], format: HistoryFormat): ModelName {
  if (format === "jepsen-log") return "register";
  const fs = new Set<string>();
  for (const entry of entries) if (entry.process !== "nemesis") fs.add(entry.f);
  if (fs.has("append")) return "kv";
  // A register workload's history may also hold a fault's etcd puts (the quota fill's): its own operations decide.
  if (fs.has("read") || fs.has("write") || fs.has("cas")) return "register";
  if (fs.has("txn") || fs.has("delete")) return "etcd";
  if (fs.has("get") || fs.has("put")) return format === "edn" ? "kv" : "etcd";
  return "register";
}
