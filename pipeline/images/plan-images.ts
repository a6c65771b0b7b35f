/** `planImagesFor`: reads stacks (light), recipes and records, then plans (pure planImages). Writes nothing. */
import path from 'node:path';
import type { Issue } from '../core/errors.js';
import { planImages, type StackImageNeed } from './plan.js';
import { loadRecipe } from './recipe.js';
import { readImageRecords } from './records.js';
import { readStackNeed } from './stack-needs.js';
import type { ImagePlan, Recipe } from './types.js';

export interface PlanImagesInput {
  stackDirs: string[];
  cwd: string;
  imagesDir: string;
  ledgerDir: string;
}

export interface PlanImagesResult {
  plan: ImagePlan;
  issues: Issue[];
}

/** Plans the images the given stacks need. */
export async function planImagesFor(input: PlanImagesInput): Promise<PlanImagesResult> {
  const issues: Issue[] = [];
  const needs: StackImageNeed[] = [];
  for (const dir of input.stackDirs) {
    const shown = path.relative(input.cwd, dir) || '.';
    const read = readStackNeed(dir, shown);
    issues.push(...read.issues);
    if (read.need) needs.push(read.need);
  }
  const recipes: Record<string, Recipe> = {};
  for (const name of new Set(needs.flatMap((n) => (n.recipe ? [n.recipe] : [])))) {
    const loaded = await loadRecipe(input.imagesDir, name, (p) => path.relative(input.cwd, p) || p);
    issues.push(...loaded.issues.filter((i) => i.code !== 'FILE_MISSING' || !i.message.endsWith('recipe.yaml does not exist')));
    if (loaded.recipe && loaded.issues.length === 0) recipes[name] = loaded.recipe;
  }
  const records = await readImageRecords(input.ledgerDir);
  const planned = planImages(needs, recipes, records);
  return { plan: planned.plan, issues: [...issues, ...planned.issues] };
}
