// Checkers: pure functions of a recorded history that return valid | invalid | unknown with evidence.
export * from "./linearizability/index.ts";
