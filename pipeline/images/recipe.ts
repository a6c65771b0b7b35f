/** Loading images/<recipe>/: recipe.yaml checked against its schema, every file hashed, plugin pins read. */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Issue } from '../core/errors.js';
import { checkSchema } from '../core/schema.js';
import { locate, readYamlFile } from '../core/source.js';
import type { Recipe, RecipeConfig } from './types.js';

const MAX_RECIPE_FILES = 200;
const MAX_RECIPE_BYTES = 1024 * 1024;

/** Loads one recipe folder; returns all problems at once. */
export async function loadRecipe(imagesDir: string, name: string, display = (p: string) => p): Promise<{ recipe?: Recipe; issues: Issue[] }> {
  const dir = path.join(imagesDir, name);
  const file = path.join(dir, 'recipe.yaml');
  const shown = display(file);
  const { source, issues } = await readYamlFile(file, shown);
  if (!source) return { issues };
  issues.push(...checkSchema(source, 'image-recipe.schema.json'));
  if (issues.length) return { issues };
  const config = source.value as RecipeConfig;
  const files = await hashRecipeFiles(dir, shown, issues);
  const referenced: [string, (string | number)[]][] = [];
  if (config.plugins) referenced.push([config.plugins, ['plugins']]);
  for (const [t, target] of Object.entries(config.targets)) {
    referenced.push([target.template, ['targets', t, 'template']]);
    if (target.base) referenced.push([target.base, ['targets', t, 'base']]);
  }
  for (const [rel, at] of referenced) {
    if (files[rel] === undefined) {
      issues.push({ severity: 'error', code: 'RECIPE_FILE_MISSING', message: `${rel} is not in ${display(dir)}`, hint: 'Add the file or fix the name in recipe.yaml.', location: locate(source, at) });
    }
  }
  const plugins = config.plugins && files[config.plugins] !== undefined ? parsePluginPins(await fs.readFile(path.join(dir, config.plugins), 'utf8')) : {};
  return { recipe: { name, dir, config, files, plugins }, issues };
}

async function hashRecipeFiles(dir: string, shown: string, issues: Issue[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const visit = async (rel: string): Promise<void> => {
    for (const entry of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await visit(child);
      else if (entry.isFile()) {
        if (Object.keys(out).length >= MAX_RECIPE_FILES) {
          issues.push({ severity: 'error', code: 'RECIPE_TOO_MANY_FILES', message: `${path.dirname(shown)} has more than ${MAX_RECIPE_FILES} files`, location: { file: shown } });
          return;
        }
        const bytes = await fs.readFile(path.join(dir, child));
        if (bytes.length > MAX_RECIPE_BYTES) {
          issues.push({ severity: 'error', code: 'FILE_TOO_LARGE', message: `${child} is over ${MAX_RECIPE_BYTES} bytes`, hint: 'Recipes hold templates and scripts; keep disk images out.', location: { file: child } });
          continue;
        }
        out[child] = createHash('sha256').update(bytes).digest('hex');
      } else {
        issues.push({ severity: 'error', code: 'RECIPE_NOT_REGULAR', message: `${child} is not a regular file (links are refused)`, location: { file: child } });
      }
    }
  };
  await visit('');
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** `name = { version = "= 1.1.3" … }` blocks of a required_plugins file → name → exact version. */
export function parsePluginPins(text: string): Record<string, string> {
  const pins: Record<string, string> = {};
  const re = /(^|\n)\s*([a-z0-9_-]+)\s*=\s*\{[^}]*?version\s*=\s*"\s*=?\s*([^"\s]+)\s*"/g;
  for (const m of text.matchAll(re)) if (m[2] && m[3]) pins[m[2]] = m[3];
  return Object.fromEntries(Object.entries(pins).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Recipe folder names under images/ (folders with a recipe.yaml). */
export async function listRecipes(imagesDir: string): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(imagesDir, { withFileTypes: true });
  } catch {
    return [];
  }
  const names: string[] = [];
  for (const e of entries) {
    if (e.isDirectory() && (await fs.stat(path.join(imagesDir, e.name, 'recipe.yaml')).catch(() => undefined))) names.push(e.name);
  }
  return names.sort();
}
