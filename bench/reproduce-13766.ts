// npm run bench:13766: how often the etcd-13766 scenario catches the bug on 3.5.2, and that 3.5.3 stays valid.
//
// The race behind etcd issue 13766 is hit by chance, so one run proves nothing either way: this runs the
// scenario REPRO_RUNS times (5 unless set) on each release in REPRO_RELEASES ("3.5.2,3.5.3" unless set)
// and prints each verdict and the rate. A run takes 2-3 minutes.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startHarness } from "../test/support/harness-process.ts";

const runs = Number(process.env["REPRO_RUNS"] ?? 5);
const releases = (process.env["REPRO_RELEASES"] ?? "3.5.2,3.5.3").split(",");
const out = fs.mkdtempSync(path.join(os.tmpdir(), "bench-13766-"));
const say = (line: string): void => console.log(line);

process.env["TESTCONTAINERS_RYUK_TEST_LABEL"] = "true";
say(`etcd-13766, ${runs} runs of 120 s per release, ${os.cpus().length} cores; reports in ${out}`);
for (const release of releases) {
  let invalid = 0;
  for (let run = 1; run <= runs; run++) {
    const started = performance.now();
    const harness = startHarness(["run", "etcd-13766", "--etcd", release, "--out", out, "--json"]);
    const { code } = await harness.exit;
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    if (code !== 0 && code !== 1) {
      say(`${release} run ${run}: exit ${code} after ${seconds} s: ${harness.stderr().trim().split("\n").at(-1)}`);
      continue;
    }
    const results = JSON.parse(harness.stdout());
    if (results.verdict === "invalid") invalid += 1;
    const convergence = results.checkers["convergence"];
    say(`${release} run ${run}: ${results.verdict} in ${seconds} s, ${results.faults.length} kills; convergence: ${convergence.summary}`);
  }
  say(`${release}: ${invalid} of ${runs} runs invalid`);
}
