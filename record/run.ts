// A recorded run as a checker sees it: the history, the status samples, the faults played and the probes, and nothing else.
import type { HistoryEntry } from "./history/entry.ts";
import type { FaultRecord } from "./fault.ts";
import type { Probes } from "./probes.ts";
import type { RunSettings } from "./settings.ts";
import type { StatusSample } from "./status.ts";

export interface RecordedRun {
  history: HistoryEntry[];
  statuses: StatusSample[];
  faults: FaultRecord[];
  probes: Probes;
  /** Cluster members at the end of the run (membership faults may change them). */
  members: string[];
  settings: RunSettings;
}
