// How a run's clients reach the cluster, in words and as the flags that run it again.
import { describe, expect, it } from "vitest";
import { describeAccess } from "../../../record/settings.ts";
import { runCommand } from "../../../reports/run-commands.ts";
import { baseSettings } from "../../../scenarios/scenario.ts";

describe("access", () => {
  it("says which links carry TLS, which tokens auth uses, and how clients are given members", () => {
    expect(describeAccess({})).toBe("plain text, no auth, each client on one member");
    expect(describeAccess({ tls: "both", auth: "simple" })).toBe("TLS on client and peer links, auth (simple tokens), each client on one member");
    expect(describeAccess({ tls: "peer", auth: "jwt", clientEndpoints: "all" })).toBe("TLS on peer links, auth (JWT tokens), clients given every member");
  });

  it("spells the settings out as flags in the run command a report shows", () => {
    const results = { scenario: "kill-leader", etcd: "3.6.16", seed: 5, settings: { ...baseSettings, workload: "register", tls: "client" as const, auth: "jwt" as const, clientEndpoints: "all" as const } };
    expect(runCommand(results)).toMatch(/ --tls client --auth --auth-token jwt --client-endpoints all$/);
    expect(runCommand({ ...results, settings: { ...baseSettings, workload: "register" } })).not.toMatch(/--tls|--auth|--client-endpoints/);
  });
});
