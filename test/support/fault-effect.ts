// What a fault measured of its own effect, read from its handle, for tests that drive faults directly.
import type { FaultHandle } from "../../nemesis/nemesis.ts";

export interface MeasuredEffect {
  tookEffect: boolean;
  evidence: string;
}

/** The handle's measured signs, taken now: the fault bit when there is at least one and every one held. */
export async function measuredEffect(handle: FaultHandle): Promise<MeasuredEffect> {
  const measured = (await handle.verify()).flatMap((sign) => (sign.kind === "measured" ? [sign] : []));
  return { tookEffect: measured.length > 0 && measured.every((sign) => sign.held), evidence: measured.map((sign) => sign.what).join("; ") };
}
