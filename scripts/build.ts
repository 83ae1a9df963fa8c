// `npm run build` (and prepack): tsconfig.build.json's library folders as JavaScript with declarations in dist/, plus the files they read beside themselves at run time.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { clientScript } from "../reports/html/client-script.ts";

const root = path.resolve(import.meta.dirname, "..");
const dist = path.join(root, "dist");
const config = JSON.parse(fs.readFileSync(path.join(root, "tsconfig.build.json"), "utf8")) as { include: string[] };

fs.rmSync(dist, { recursive: true, force: true });
const tsc = spawnSync(path.join(root, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
if (tsc.status !== 0) {
  console.error(`build: tsc -p tsconfig.build.json failed (${tsc.error?.message ?? `exit ${tsc.status ?? tsc.signal}`})`);
  process.exit(1);
}

// Every other file in those folders (the Go sources, go.mod and go.sum files the image recipes read through
// import.meta.dirname) goes to the same relative path in dist/.
let copied = 0;
for (const folder of config.include.map((entry) => path.join(root, entry))) {
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) continue;
  for (const entry of fs.readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.endsWith(".ts")) continue;
    const source = path.join(entry.parentPath, entry.name);
    const target = path.join(dist, path.relative(root, source));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(source, target);
    copied++;
  }
}
// The report page's script as the sources make it (Node strips their types); the built client-script.js reads it.
fs.writeFileSync(path.join(dist, "reports", "html", "client-script.bundle.js"), clientScript());
console.log(`build: dist/ written, ${copied} files copied beside the JavaScript, and the report page's script`);
