// `npm run setup`: the Docker engine and every image the harness runs, idempotently, saying what it does.
import { ExitCode } from "../exit-codes.ts";
import { HarnessError } from "../errors.ts";
import { ensureEngine } from "../engine/docker-engine.ts";
import { ensureImages } from "../images/ensure-images.ts";

const say = (line: string): void => console.log(`setup: ${line}`);

try {
  const started = Date.now();
  const engine = await ensureEngine(say);
  if (!engine.started) say(`docker engine: ${engine.version} answers`);
  await ensureImages(say);
  say(`done in ${((Date.now() - started) / 1000).toFixed(1)}s; \`npx harness doctor\` shows the result`);
} catch (error) {
  console.error(`setup: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = error instanceof HarnessError ? error.exitCode : ExitCode.internal;
}
