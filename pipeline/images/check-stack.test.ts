import fs from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lintCommand } from '../cli/lint.js';
import type { StackConfig } from '../stack/index.js';
import { runCommand } from '../testing/run-command.js';
import { copyStack, tempDir } from '../testing/workspace.js';
import { repoRoot } from '../testing/paths.js';
import { checkStackRecipe } from './check-stack.js';
import { loadRecipe } from './recipe.js';
import type { Recipe } from './types.js';

let ubuntu: Recipe;
beforeAll(async () => {
  ubuntu = (await loadRecipe(path.join(repoRoot, 'images'), 'ubuntu-2404')).recipe as Recipe;
});

const base: StackConfig['nodeImage'] = {
  recipe: 'ubuntu-2404',
  os: { name: 'ubuntu', version: '24.04' },
  kernel: { minimum: '6.8' },
  cgroup: { version: 'v2', driver: 'systemd' },
  cri: { name: 'containerd', version: '1.7' },
  ociRuntime: { name: 'runc' },
  ebpf: true,
};

describe('checkStackRecipe', () => {
  it.each([
    ['matching facts', {}, []],
    ['older kernel minimum', { kernel: { minimum: '5.15' } }, []],
    ['different OS', { os: { name: 'debian', version: '12' } }, ['os']],
    ['newer kernel needed', { kernel: { minimum: '6.11' } }, ['kernel.minimum']],
    ['other CRI', { cri: { name: 'cri-o', version: '1.31' } }, ['cri.name']],
    ['other CRI minor', { cri: { name: 'containerd', version: '2.0' } }, ['cri.version']],
    ['cgroup v1', { cgroup: { version: 'v1', driver: 'cgroupfs' } }, ['cgroup']],
    ['crun runtime', { ociRuntime: { name: 'crun' } }, ['ociRuntime.name']],
  ] as [string, Partial<StackConfig['nodeImage']>, string[]][])('%s', (_, patch, fields) => {
    const issues = checkStackRecipe({ ...base, ...patch }, ubuntu, (field) => ({ file: 'stack.yaml', line: field.length }));
    expect(issues.map((i) => i.message.split(':')[0])).toEqual(fields.map((f) => `nodeImage.${f}`));
    expect(issues.every((i) => i.code === 'IMAGE_RECIPE_MISMATCH' && i.location?.file === 'stack.yaml')).toBe(true);
  });
});

describe('csp lint sees the recipe', () => {
  it.each([
    ['recipe: ubuntu-2404', 'recipe: no-such-recipe', 'IMAGE_RECIPE_MISSING'],
    ['version: "24.04"', 'version: "22.04"', 'IMAGE_RECIPE_MISMATCH'],
    ['recipe: ubuntu-2404', 'recipe: ubuntu-2404\n  target: hcloud', 'IMAGE_NO_TARGET'],
  ])('%s → %s', async (from, to, code) => {
    const work = await tempDir('csp-images-lint-');
    try {
      const dir = await copyStack(path.join(repoRoot, 'stacks/openstack/scs'), path.join(work, 'stacks/openstack/scs'));
      const file = path.join(dir, 'stack.yaml');
      await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace(from, to));
      const r = await runCommand(lintCommand, ['stacks/openstack/scs', '--images', path.join(repoRoot, 'images'), '--json'], work);
      expect(r.code).toBe(1);
      const issues = (JSON.parse(r.stdout) as { stacks: { issues: { code: string; location?: { file: string; line?: number } }[] }[] }).stacks[0]?.issues ?? [];
      const hit = issues.find((i) => i.code === code);
      expect(hit?.location?.file).toBe('stacks/openstack/scs/stack.yaml');
      expect(hit?.location?.line).toBeGreaterThan(1);
    } finally {
      await fs.rm(work, { recursive: true, force: true });
    }
  });
});
