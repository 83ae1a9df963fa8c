// The page's scripts, inlined: uPlot from node_modules, and our browser modules as the source of their exported declarations.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import * as charts from "./browser/charts.ts";
import * as decode from "./browser/decode.ts";
import * as main from "./browser/main.ts";
import * as overview from "./browser/overview.ts";
import * as timeline from "./browser/timeline.ts";

/**
 * Node strips the browser modules' types when it loads them, so each exported function or class's
 * source text is plain JavaScript. Declared side by side in one scope they reach each other by name,
 * as their (type-checked) imports say they do. Nothing else at a module's top level survives this,
 * which is why browser modules hold only exported functions and classes. The list is in dependency
 * order, since a class's static fields may read an earlier class.
 */
const browserModules: Array<[string, Record<string, unknown>]> = [
  ["decode", decode],
  ["timeline", timeline],
  ["overview", overview],
  ["charts", charts],
  ["main", main],
];

/**
 * The built package's script, which scripts/build.ts writes from these sources beside the built JavaScript: tsc's
 * output for a class may refer to names outside it (a private method naming its class reads a `_a` alias), which
 * the declarations taken one by one would leave undefined.
 */
const bundledScript = path.join(import.meta.dirname, "client-script.bundle.js");

let cachedScript: string | undefined;
let cachedUplot: { script: string; style: string } | undefined;

export function clientScript(): string {
  if (cachedScript !== undefined) return cachedScript;
  if (fs.existsSync(bundledScript)) return (cachedScript = fs.readFileSync(bundledScript, "utf8"));
  const seen = new Set<string>();
  const declarations: string[] = [];
  for (const [module, exports] of browserModules) {
    for (const [name, value] of Object.entries(exports)) {
      if (typeof value !== "function") continue;
      const source = Function.prototype.toString.call(value);
      if (!new RegExp(`^(?:async\\s+)?(?:function\\*?|class)\\s+${name}\\b`).test(source)) {
        throw new Error(`browser module ${module}: export ${name} must be a function or class declaration named ${name}`);
      }
      if (seen.has(name)) throw new Error(`browser module ${module}: ${name} is declared by another browser module too`);
      seen.add(name);
      declarations.push(source);
    }
  }
  cachedScript = [
    `(function () {`,
    `"use strict";`,
    ...declarations,
    `const data = JSON.parse(document.getElementById("report-data").textContent);`,
    `window.harnessReport = reportMain(data, window.uPlot);`,
    `})();`,
  ]
    .join("\n")
    .replace(/<\/(script)/gi, "<\\/$1");
  return cachedScript;
}

/** uPlot's minified script and stylesheet, pinned in package.json and read once per process. */
export function uplotAssets(): { script: string; style: string } {
  if (cachedUplot) return cachedUplot;
  const require = createRequire(import.meta.url);
  const read = (file: string): string => fs.readFileSync(require.resolve(`uplot/dist/${file}`), "utf8");
  cachedUplot = { script: read("uPlot.iife.min.js").replace(/<\/(script)/gi, "<\\/$1"), style: read("uPlot.min.css") };
  return cachedUplot;
}
