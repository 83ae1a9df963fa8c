// Every regression scenario on the release that fixed its bug ends valid: the nightly-style job (`npm run test:regressions`, about 25 minutes).
//
// Not part of `npm test`: each run takes one to two minutes and each fixed release is built on first
// use. A scenario whose bug the harness cannot find yet still runs here, so its fixed release is held valid.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { builtInSpecs } from "../../scenarios/registry.ts";
import { startHarness } from "../support/harness-process.ts";

const regressions = builtInSpecs.filter((spec) => spec.regression);

describe("regression scenarios on their fixed releases", () => {
  it.each(regressions.map((spec) => [spec.name, spec.regression!.fixed]))("%s on %s ends valid", async (name, fixed) => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), `harness-${name}-`));
    const run = startHarness(["run", name, "--etcd", fixed, "--seed", "1", "--out", out, "--json"]);
    const { code } = await run.exit;
    const results = JSON.parse(run.stdout() || "{}");
    const invalid = Object.entries(results.checkers ?? {}).filter(([, result]) => (result as { verdict: string }).verdict !== "valid");
    expect(code, `${run.stderr().split("\n").slice(-12).join("\n")}\n${JSON.stringify(invalid).slice(0, 2000)}`).toBe(0);
  }, 900_000);
});
