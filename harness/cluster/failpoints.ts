// gofail's HTTP API on a member of a failpoints build: list its failpoints, arm one with a term, disarm it, count its hits.
import type { MemberFailpoints } from "./backend.ts";

const callTimeoutMs = 3000;

async function call(endpoint: string, pathname: string, init: RequestInit = {}): Promise<string> {
  const response = await fetch(`http://${endpoint}/${pathname}`, { ...init, signal: AbortSignal.timeout(callTimeoutMs) });
  const body = await response.text();
  if (!response.ok) throw new Error(`gofail ${init.method ?? "GET"} /${pathname}: ${response.status} ${body.trim()}`);
  return body;
}

/** Every failpoint and its term ("" when disarmed), as the member's gofail lists them. */
export async function listFailpoints(failpoints: MemberFailpoints): Promise<Map<string, string>> {
  const text = await call(failpoints.endpoint, "");
  return new Map(
    text
      .split("\n")
      .filter((line) => line.includes("="))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)] as const),
  );
}

/** Arms `name` with a gofail term: "panic", "1*panic", "sleep(500)", "return(true)", ... */
export async function armFailpoint(failpoints: MemberFailpoints, name: string, term: string): Promise<void> {
  await call(failpoints.endpoint, encodeURIComponent(name), { method: "PUT", body: term });
}

export async function disarmFailpoint(failpoints: MemberFailpoints, name: string): Promise<void> {
  await call(failpoints.endpoint, encodeURIComponent(name), { method: "DELETE" });
}

/** How many times `name` was evaluated while armed since it was last armed. */
export async function failpointHits(failpoints: MemberFailpoints, name: string): Promise<number> {
  return Number((await call(failpoints.endpoint, `${encodeURIComponent(name)}/count`)).trim());
}
