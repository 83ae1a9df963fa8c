// A process stays with its home member while that is one, else with the member it is on, else goes where the caller picks.
import { describe, expect, it } from "vitest";
import { memberToBind } from "../../../workloads/binding.ts";

const first = (members: string[]): string => members[0]!;

describe("memberToBind", () => {
  it("is the home while the home is a member, even when the process is elsewhere", () => {
    expect(memberToBind(["n1", "n2", "n3"], "n1", "n2", first)).toBe("n1");
  });

  it("keeps the member it is on while the home is away", () => {
    expect(memberToBind(["n2", "n3"], "n1", "n3", first)).toBe("n3");
  });

  it("asks the caller among the members left when neither is a member", () => {
    expect(memberToBind(["n4", "n5"], "n1", "n2", (left) => left.at(-1)!)).toBe("n5");
  });
});
