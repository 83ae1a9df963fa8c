// The browser the report's own test drives (Debian's chromium); set-up installs it so `npm test` runs on a fresh host.
import fs from "node:fs";
import { aptInstall } from "../engine/docker-engine.ts";

export const chromiumPath = "/usr/bin/chromium";

/** Installs Debian's chromium when it is missing and this process is root; otherwise says how. */
export async function ensureTestBrowser(say: (line: string) => void): Promise<void> {
  if (fs.existsSync(chromiumPath)) {
    say(`test browser: ${chromiumPath} in place`);
    return;
  }
  if (process.getuid?.() !== 0) {
    say(`test browser: ${chromiumPath} missing; the report's browser test needs it: run \`sudo apt-get install -y chromium\``);
    return;
  }
  say("test browser: installing Debian's chromium for the report's browser test");
  await aptInstall(["chromium"], say);
}
