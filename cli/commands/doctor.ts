// `harness doctor`: each prerequisite as ok or missing, with the command that fixes it.
import fs from "node:fs";
import type { Command } from "commander";
import { engineStatus } from "../../harness/engine/docker-engine.ts";
import { ExitCode } from "../../harness/exit-codes.ts";
import { imageRecipes } from "../../harness/images/catalog.ts";
import { imageState } from "../../harness/images/ensure-images.ts";
import { cachedModules } from "../../harness/images/etcd-modules.ts";
import { goVersion } from "../../harness/images/go-build.ts";

interface Finding {
  ok: boolean;
  what: string;
  detail: string;
  fix?: string;
}

export function addDoctorCommand(program: Command): void {
  program
    .command("doctor")
    .description("check the Docker engine, the images and the tools the harness needs, and say how to fix what is missing")
    .action(async () => {
      const findings = await diagnose();
      for (const finding of findings) {
        const line = `${finding.ok ? "ok     " : "missing"}  ${finding.what.padEnd(34)} ${finding.detail}`;
        console.log(finding.fix ? `${line}\n         fix: ${finding.fix}` : line);
      }
      process.exitCode = findings.every((finding) => finding.ok) ? ExitCode.valid : ExitCode.unavailable;
    });
}

export async function diagnose(): Promise<Finding[]> {
  const findings: Finding[] = [];
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  const nodeOk = major > 22 || (major === 22 && minor >= 22);
  findings.push({
    ok: nodeOk,
    what: "node >= 22.22",
    detail: process.version,
    ...(nodeOk ? {} : { fix: "npm ci, then run through npx or npm run (they use the pinned Node 24 in node_modules/.bin)" }),
  });
  const engine = await engineStatus();
  findings.push({
    ok: engine.ok,
    what: "docker engine",
    detail: engine.ok ? `${engine.version}` : engine.reason,
    ...(engine.ok ? {} : { fix: "npm run setup (as root it installs Debian's docker.io and starts dockerd), or start your Docker engine" }),
  });
  let missingImage = false;
  const onDemandMissing: string[] = [];
  for (const recipe of imageRecipes()) {
    const state = engine.ok ? await imageState(recipe) : "unknown (no engine)";
    if (recipe.onDemand && state !== "current") {
      // Not needed until a run names the release; that run builds it, which needs Go (below).
      onDemandMissing.push(recipe.title);
      findings.push({ ok: true, what: `image ${recipe.ref}`, detail: `${state}; built from ${recipe.origin} by the first run that names it` });
      continue;
    }
    missingImage ||= state !== "current";
    findings.push({
      ok: state === "current",
      what: `image ${recipe.ref}`,
      detail: state === "current" ? recipe.title : `${state}: built from ${recipe.origin}`,
      ...(state === "current" ? {} : { fix: "npm run setup" }),
    });
  }
  findings.push({
    ok: true,
    what: "other etcd releases",
    detail: `any 3.5.x-3.7.x release the Go module proxy serves, built by the first run that names it (resolved before: ${cachedModules().join(", ") || "none"}); \`harness images\` lists them`,
  });
  const go = await goVersion();
  findings.push({
    ok: go !== undefined || !missingImage,
    what: "go toolchain (to build images)",
    detail:
      go ??
      (missingImage
        ? "not found, and images are missing"
        : onDemandMissing.length > 0
          ? `not found; needed only by a run that names ${onDemandMissing.join(" or ")}`
          : "not found; not needed while every image is built"),
    ...(go === undefined && missingImage ? { fix: "install Go >= 1.21 (it fetches the toolchain each module asks for through the Go module proxy)" } : {}),
  });
  // Only the power-loss scenarios need it, so its absence is said, not counted as missing.
  const fuse = fs.existsSync("/dev/fuse");
  findings.push({
    ok: true,
    what: "FUSE (power-loss scenarios)",
    detail: fuse ? "/dev/fuse present: members can run on the power-loss file system" : "no /dev/fuse: power-loss and power-loss-majority cannot run here (modprobe fuse)",
  });
  return findings;
}
