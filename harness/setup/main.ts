// `npm run setup`: the Docker engine, every image the harness runs and the tests' browser, idempotently, saying what it does.
import { ExitCode } from "../exit-codes.ts";
import { HarnessError } from "../errors.ts";
import { ensureEngine } from "../engine/docker-engine.ts";
import { sweepOrphans } from "../engine/orphans.ts";
import { ensureImages } from "../images/ensure-images.ts";
import { projectRoot } from "../paths.ts";
import { dropStaleNpxLinks } from "./npx-cache.ts";
import { ensureTestBrowser } from "./test-browser.ts";

const say = (line: string): void => console.log(`setup: ${line}`);

try {
  const started = Date.now();
  const engine = await ensureEngine(say);
  if (!engine.started) say(`docker engine: ${engine.version} answers`);
  const orphans = await sweepOrphans();
  if (orphans.containers.length + orphans.networks.length > 0) {
    say(`removed what runs left when the engine died under them: ${[...orphans.containers, ...orphans.networks].join(", ")}`);
  }
  await ensureImages(say);
  await ensureTestBrowser(say);
  for (const dir of dropStaleNpxLinks(projectRoot)) say(`npx: removed ${dir}, whose link to the harness command pointed at a file that moved`);
  say(`done in ${((Date.now() - started) / 1000).toFixed(1)}s; \`npx harness doctor\` shows the result`);
} catch (error) {
  console.error(`setup: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = error instanceof HarnessError ? error.exitCode : ExitCode.internal;
}
