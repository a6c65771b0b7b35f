/**
 * Planning images (pure): the matrix recipe × target × Kubernetes patch that the stacks' targets need, each
 * with its rebuild key, and whether a record with that key exists. Same key ⇒ nothing to build.
 */
import type { Issue, Location } from '../core/errors.js';
import { imageName, rebuildKey } from './rebuild-key.js';
import type { ImagePlan, ImagePlanItem, ImageRecord, Recipe } from './types.js';

/** What one stack asks for: its provider, Kubernetes versions and stack.yaml nodeImage choice. */
export interface StackImageNeed {
  stack: string;
  provider: string;
  kubernetes: string[];
  recipe?: string;
  target?: string;
  /** Where stack.yaml names the recipe, for issues. */
  location?: Location;
  /** A csctl provider-plugin `node-images/` folder and its method. */
  plugin?: 'get' | 'build';
}

/** The target a stack builds: its explicit choice, else the recipe's first target listing the provider. */
export function chooseTarget(recipe: Recipe, provider: string, explicit?: string): string | undefined {
  if (explicit) return recipe.config.targets[explicit]?.providers.includes(provider) ? explicit : undefined;
  return Object.entries(recipe.config.targets).find(([, t]) => t.providers.includes(provider))?.[0];
}

/** Plans every image the stacks need; one item per distinct key (stacks sharing an image share the item). */
export function planImages(needs: readonly StackImageNeed[], recipes: Readonly<Record<string, Recipe>>, records: readonly ImageRecord[]): { plan: ImagePlan; issues: Issue[] } {
  const issues: Issue[] = [];
  const byKey = new Map<string, ImagePlanItem>();
  const recorded = new Map(records.map((r) => [r.key, r]));
  const keys = new Map<string, string>();
  const plan: ImagePlan = { items: [], external: [] };
  for (const need of needs) {
    if (!need.recipe) {
      for (const k of need.kubernetes) plan.external.push(externalImage(need, k));
      continue;
    }
    const recipe = recipes[need.recipe];
    if (!recipe) {
      issues.push({ severity: 'error', code: 'IMAGE_RECIPE_MISSING', message: `${need.stack}: recipe ${need.recipe} is not in images/`, hint: `Create images/${need.recipe}/recipe.yaml or fix stack.yaml nodeImage.recipe.`, location: need.location });
      continue;
    }
    const target = chooseTarget(recipe, need.provider, need.target);
    const t = target ? recipe.config.targets[target] : undefined;
    if (!target || !t || !t.providers.includes(need.provider)) {
      issues.push({
        severity: 'error',
        code: 'IMAGE_NO_TARGET',
        message: `${need.stack}: recipe ${need.recipe} has no target ${need.target ? `${need.target} for` : 'for'} provider ${need.provider}`,
        hint: `Add a target listing "${need.provider}" in images/${need.recipe}/recipe.yaml, or set nodeImage.target.`,
        location: need.location,
      });
      continue;
    }
    for (const kubernetes of need.kubernetes) {
      const memo = `${recipe.name}\u0000${target}\u0000${kubernetes}`;
      const key = keys.get(memo) ?? rebuildKey(recipe, target, kubernetes);
      keys.set(memo, key);
      const existing = byKey.get(key);
      if (existing) {
        if (!existing.stacks.includes(need.stack)) existing.stacks.push(need.stack);
        continue;
      }
      const record = recorded.get(key);
      const [major, minor] = kubernetes.split('.');
      byKey.set(key, {
        name: imageName(recipe.name, kubernetes, key),
        recipe: recipe.name,
        target,
        builder: t.builder,
        providers: [...t.providers],
        kubernetes,
        minor: `${need.provider}/${major}.${minor}`,
        key,
        stacks: [need.stack],
        action: record ? 'exists' : 'build',
        why: record ? `record ${record.name} has this key` : 'no image record has this rebuild key',
      });
    }
  }
  plan.items = [...byKey.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { plan, issues };
}

/** Images csp does not build: docker uses the kind node image of the patch release. */
function externalImage(need: StackImageNeed, kubernetes: string): ImagePlan['external'][number] {
  if (need.plugin === 'get') {
    return { stack: need.stack, provider: need.provider, kubernetes, reason: 'csctl plugin node-images/config.yaml (method get): released as node-images.yaml unchanged' };
  }
  if (need.plugin === 'build') {
    return { stack: need.stack, provider: need.provider, kubernetes, reason: 'csctl plugin method build is not supported: move the Packer template from node-images/ into an images/<recipe>/ recipe and set nodeImage.recipe' };
  }
  if (need.provider === 'docker') {
    return { stack: need.stack, provider: need.provider, kubernetes, image: `kindest/node:v${kubernetes}`, reason: 'kind publishes the node image for each Kubernetes patch' };
  }
  return { stack: need.stack, provider: need.provider, kubernetes, reason: 'stack.yaml names no nodeImage.recipe; the image is referenced by name only' };
}
