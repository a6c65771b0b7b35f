/** Cross-layer check (pure): the recipe a stack names must ship the OS, kernel, CRI and cgroup setup stack.yaml declares. */
import type { Issue, Location } from '../core/errors.js';
import { where, type Stack, type StackConfig } from '../stack/index.js';
import { chooseTarget } from './plan.js';
import { listRecipes, loadRecipe } from './recipe.js';
import type { Recipe } from './types.js';

const num = (v: string): number[] => v.replace(/^v/, '').split('.').map((p) => Number.parseInt(p, 10) || 0);
function atLeast(have: string, want: string): boolean {
  const [a, b] = [num(have), num(want)];
  for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/** Issues when the recipe's facts contradict stack.yaml nodeImage (each one located at stack.yaml's field). */
export function checkStackRecipe(nodeImage: StackConfig['nodeImage'], recipe: Recipe, at: (field: string) => Location | undefined): Issue[] {
  const r = recipe.config;
  const issues: Issue[] = [];
  const add = (field: string, message: string): void => {
    issues.push({ severity: 'error', code: 'IMAGE_RECIPE_MISMATCH', message: `nodeImage.${field}: ${message}`, hint: `Make stack.yaml and images/${recipe.name}/recipe.yaml agree (the recipe is what the image really ships).`, location: at(field) });
  };
  if (nodeImage.os.name !== r.os.name || nodeImage.os.version !== r.os.version) add('os', `stack declares ${nodeImage.os.name} ${nodeImage.os.version}, recipe ${recipe.name} builds ${r.os.name} ${r.os.version}`);
  if (!atLeast(r.kernel, nodeImage.kernel.minimum)) add('kernel.minimum', `stack needs kernel >= ${nodeImage.kernel.minimum}, recipe ${recipe.name} ships ${r.kernel}`);
  if (nodeImage.cri.name !== r.cri.name) add('cri.name', `stack declares ${nodeImage.cri.name}, recipe ${recipe.name} installs ${r.cri.name}`);
  else if (!r.cri.version.startsWith(nodeImage.cri.version.replace(/^v/, ''))) add('cri.version', `stack declares ${nodeImage.cri.name} ${nodeImage.cri.version}, recipe ${recipe.name} installs ${r.cri.version}`);
  if (nodeImage.cgroup.version !== r.cgroup.version || nodeImage.cgroup.driver !== r.cgroup.driver) {
    add('cgroup', `stack declares cgroup ${nodeImage.cgroup.version}/${nodeImage.cgroup.driver}, recipe ${recipe.name} sets ${r.cgroup.version}/${r.cgroup.driver}`);
  }
  if (nodeImage.ociRuntime.name !== r.ociRuntime) add('ociRuntime.name', `stack declares ${nodeImage.ociRuntime.name}, recipe ${recipe.name} installs ${r.ociRuntime}`);
  return issues;
}

/** `csp lint`'s image rules for a loaded stack: the named recipe exists, loads, has a target for the provider and agrees with stack.yaml. */
export async function checkStackImages(stack: Stack, imagesDir: string): Promise<Issue[]> {
  const nodeImage = stack.config?.nodeImage;
  if (!nodeImage?.recipe) return [];
  const at = (field: string): Location => where(stack.locations, `${stack.displayDir}/stack.yaml`, `/nodeImage/${field.replaceAll('.', '/')}`);
  const { recipe, issues } = await loadRecipe(imagesDir, nodeImage.recipe);
  if (!recipe) {
    const missing = issues.some((i) => i.code === 'FILE_MISSING');
    return missing
      ? [{ severity: 'error', code: 'IMAGE_RECIPE_MISSING', message: `nodeImage.recipe: images/${nodeImage.recipe}/recipe.yaml does not exist`, hint: `Create the recipe or fix the name (recipes: ${(await listRecipes(imagesDir)).join(', ') || 'none'}).`, location: at('recipe') }]
      : issues;
  }
  const out = [...issues, ...checkStackRecipe(nodeImage, recipe, at)];
  if (!chooseTarget(recipe, stack.provider, nodeImage.target)) {
    out.push({ severity: 'error', code: 'IMAGE_NO_TARGET', message: `nodeImage: recipe ${recipe.name} has no target${nodeImage.target ? ` ${nodeImage.target}` : ''} for provider ${stack.provider}`, hint: `Add a target listing "${stack.provider}" to images/${recipe.name}/recipe.yaml.`, location: at(nodeImage.target ? 'target' : 'recipe') });
  }
  return out;
}
