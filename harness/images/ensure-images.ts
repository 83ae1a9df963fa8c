// Builds whichever of the requested images is missing or stale; leaves current ones alone.
import fs from "node:fs";
import path from "node:path";
import { unavailableError } from "../errors.ts";
import { goVersion } from "./go-build.ts";
import { buildImage, imageRecipe } from "./docker-build.ts";
import { imageRecipes, imageWorkDir, recipeForRef, type ImageRecipe } from "./catalog.ts";

export type ImageState = "current" | "stale" | "missing";

export async function imageState(recipe: ImageRecipe): Promise<ImageState> {
  const hash = await imageRecipe(recipe.ref);
  if (hash === undefined) return "missing";
  return hash === recipe.hash ? "current" : "stale";
}

/** Builds the given images (when none are named, the catalog but for on-demand releases) unless they are current. */
export async function ensureImages(say: (line: string) => void, refs?: string[]): Promise<void> {
  const recipes = refs ? [] : imageRecipes().filter((recipe) => !recipe.onDemand);
  for (const ref of refs ?? []) {
    try {
      recipes.push(await recipeForRef(ref));
    } catch (error) {
      throw unavailableError(`could not build ${ref}: ${error instanceof Error ? error.message : String(error)}${await goHint()}`);
    }
  }
  for (const recipe of recipes) await ensureRecipe(say, recipe);
}

/** Builds the recipe's image unless it is current; a failure is exit 69 naming the step that failed. */
export async function ensureRecipe(say: (line: string) => void, recipe: ImageRecipe): Promise<void> {
  const state = await imageState(recipe);
  if (state === "current") {
    say(`image ${recipe.ref}: in place`);
    return;
  }
  say(`image ${recipe.ref}: ${state}; building ${recipe.title} from ${recipe.origin}`);
  const started = Date.now();
  try {
    await buildFromRecipe(recipe);
  } catch (error) {
    const retry = recipe.onDemand ? "; the next run that needs it tries again" : "; retry with `npm run setup`";
    throw unavailableError(`could not build ${recipe.ref}: ${error instanceof Error ? error.message : String(error)}${await goHint()}${retry}`);
  }
  say(`image ${recipe.ref}: built in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

const goHint = async (): Promise<string> => ((await goVersion()) ? "" : " (no Go toolchain on PATH: install Go >= 1.21, which fetches the toolchain it needs)");

async function buildFromRecipe(recipe: ImageRecipe): Promise<void> {
  const workDir = imageWorkDir(recipe.ref);
  fs.rmSync(workDir, { recursive: true, force: true });
  const contextDir = path.join(workDir, "context");
  const sourceDir = path.join(workDir, "source");
  fs.mkdirSync(contextDir, { recursive: true });
  fs.mkdirSync(sourceDir, { recursive: true });
  await recipe.prepare(contextDir, sourceDir);
  await buildImage(contextDir, recipe.ref).catch((error: unknown) => {
    throw new Error(`step "docker build" failed: ${error instanceof Error ? error.message : String(error)}`);
  });
}
