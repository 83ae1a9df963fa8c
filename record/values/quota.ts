// What the quota fault records in the history besides its writes: the moment its runbook began to disarm NOSPACE.

/** `f` of the nemesis entry recorded just before the runbook's first disarm request (value: `{ alarms }`). */
export const quotaDisarmMark = "quota-disarm";
