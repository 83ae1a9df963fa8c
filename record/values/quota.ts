// What the quota fault records in the history besides its writes: when NOSPACE was first listed, and when its runbook began to disarm it.

/** `f` of the nemesis entry recorded as soon as a member's alarm listing (which goes through raft) shows NOSPACE (value: `{ member }`). */
export const quotaAlarmListedMark = "quota-alarm-listed";

/** `f` of the nemesis entry recorded just before the runbook's first disarm request (value: `{ alarms }`). */
export const quotaDisarmMark = "quota-disarm";
