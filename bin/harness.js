#!/usr/bin/env node
// The `harness` command: the TypeScript sources beside it in the repo (Node strips their types), the built dist/ in an installed package.
import fs from "node:fs";

const source = new URL("../cli/main.ts", import.meta.url);
const fromSource = fs.existsSync(source);
// Checked before anything loads, since on an older Node the dependencies fail as they load (cli/node-version.ts holds the same floor).
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 22)) {
  const hint = fromSource ? "; `npx harness` runs the Node 24 that `npm ci` put in node_modules/.bin" : "";
  process.stderr.write(`harness: needs Node.js >= 22.22 (testcontainers 12 does), this is ${process.versions.node}${hint}\n`);
  process.exit(69);
}
await import(fromSource ? source.href : new URL("../dist/cli/main.js", import.meta.url).href);
