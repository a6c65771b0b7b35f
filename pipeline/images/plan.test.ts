import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../testing/paths.js';
import { planImages, type StackImageNeed } from './plan.js';
import { planImagesFor } from './plan-images.js';
import { loadRecipe } from './recipe.js';
import { imageName, keyInputs, rebuildKey } from './rebuild-key.js';
import { writeImageRecord } from './records.js';
import type { ImagePlanItem, ImageRecord, Recipe } from './types.js';

const imagesDir = path.join(repoRoot, 'images');
let ubuntu: Recipe;
let debian: Recipe;

beforeAll(async () => {
  const [u, d] = await Promise.all([loadRecipe(imagesDir, 'ubuntu-2404'), loadRecipe(imagesDir, 'debian-12')]);
  expect(u.issues).toEqual([]);
  expect(d.issues).toEqual([]);
  ubuntu = u.recipe as Recipe;
  debian = d.recipe as Recipe;
});

function recordFor(item: ImagePlanItem): ImageRecord {
  return {
    apiVersion: 'csp.scs.community/v1alpha1', kind: 'ImageRecord', name: item.name, recipe: item.recipe, target: item.target, builder: item.builder,
    providers: item.providers, kubernetes: item.kubernetes, key: item.key, format: 'qcow2', location: {}, buildDate: '2026-12-01T00:00:00.000Z', packer: { version: '1.9.5', plugins: {} },
  };
}

const stacks = (os1: string[], h1: string[]): StackImageNeed[] => [
  { stack: 'stacks/openstack/scs', provider: 'openstack', kubernetes: os1, recipe: 'ubuntu-2404' },
  { stack: 'stacks/hcloud/scs', provider: 'hcloud', kubernetes: h1, recipe: 'ubuntu-2404' },
  { stack: 'stacks/docker/scs', provider: 'docker', kubernetes: ['1.32.5'] },
];

describe('planImages: builds only what a new rebuild key needs', () => {
  const before = stacks(['1.31.9', '1.32.5'], ['1.31.9', '1.32.5']);
  it.each([
    ['unchanged stacks', before, []],
    ['openstack 1.32 patch bump', stacks(['1.31.9', '1.32.6'], ['1.31.9', '1.32.5']), ['openstack/1.32']],
    ['same patch bump on both providers', stacks(['1.31.9', '1.32.6'], ['1.31.9', '1.32.6']), ['hcloud/1.32', 'openstack/1.32']],
    ['two minors bumped on one provider', stacks(['1.31.10', '1.32.6'], ['1.31.9', '1.32.5']), ['openstack/1.31', 'openstack/1.32']],
    ['new minor added', stacks(['1.31.9', '1.32.5', '1.33.1'], ['1.31.9', '1.32.5']), ['openstack/1.33']],
  ])('%s', (_, after, wantMinors) => {
    const first = planImages(before, { 'ubuntu-2404': ubuntu }, []);
    expect(first.issues).toEqual([]);
    expect(first.plan.items.every((i) => i.action === 'build')).toBe(true);
    const records = first.plan.items.map(recordFor);
    const second = planImages(after, { 'ubuntu-2404': ubuntu }, records);
    const builds = second.plan.items.filter((i) => i.action === 'build');
    // Exactly one build per affected (provider, minor).
    expect(builds.map((b) => b.minor).sort()).toEqual(wantMinors);
    expect(builds.every((b) => b.name === imageName('ubuntu-2404', b.kubernetes, b.key))).toBe(true);
    expect(second.plan.external).toEqual([{ stack: 'stacks/docker/scs', provider: 'docker', kubernetes: '1.32.5', image: 'kindest/node:v1.32.5', reason: expect.any(String) }]);
  });

  it('shares one image between stacks of the same recipe, target and patch', () => {
    const { plan } = planImages([
      { stack: 'a', provider: 'openstack', kubernetes: ['1.32.5'], recipe: 'ubuntu-2404' },
      { stack: 'b', provider: 'openstack', kubernetes: ['1.32.5'], recipe: 'ubuntu-2404' },
    ], { 'ubuntu-2404': ubuntu }, []);
    expect(plan.items).toHaveLength(1);
    expect(plan.items[0]?.stacks).toEqual(['a', 'b']);
  });

  it.each([
    [{ stack: 's', provider: 'openstack', kubernetes: ['1.32.5'], recipe: 'nope' }, 'IMAGE_RECIPE_MISSING'],
    [{ stack: 's', provider: 'aws', kubernetes: ['1.32.5'], recipe: 'ubuntu-2404' }, 'IMAGE_NO_TARGET'],
    [{ stack: 's', provider: 'openstack', kubernetes: ['1.32.5'], recipe: 'ubuntu-2404', target: 'hcloud' }, 'IMAGE_NO_TARGET'],
  ])('reports %j', (need, code) => {
    expect(planImages([need], { 'ubuntu-2404': ubuntu }, []).issues.map((i) => i.code)).toEqual([code]);
  });
});

describe('rebuild key', () => {
  const variant = (patch: (r: Recipe) => void): Recipe => {
    const copy = structuredClone(ubuntu);
    patch(copy);
    return copy;
  };
  const base = () => rebuildKey(ubuntu, 'qemu', '1.32.5');
  it.each([
    ['a shared script changes', (r: Recipe) => { r.files['scripts/kubernetes.sh'] = '0'.repeat(64); }, true],
    ['its own template changes', (r: Recipe) => { r.files['qemu.json'] = '0'.repeat(64); }, true],
    ['another target\'s template changes', (r: Recipe) => { r.files['hcloud.json'] = '0'.repeat(64); }, false],
    ['a plugin pin changes', (r: Recipe) => { r.plugins.qemu = '9.9.9'; }, true],
    ['the base image changes', (r: Recipe) => { (r.config.targets.qemu as { variables: Record<string, string> }).variables.base_image_url = 'https://example.invalid/x.img'; }, true],
    ['the Packer version changes', (r: Recipe) => { (r.config.targets.qemu as { packer: string }).packer = '1.10.0'; }, true],
    ['the rebuild epoch moves', (r: Recipe) => { r.config.rebuildEpoch = 1; }, true],
    ['the description changes', (r: Recipe) => { r.config.description = 'other words'; }, false],
    ['the provider list changes', (r: Recipe) => { (r.config.targets.qemu as { providers: string[] }).providers.push('other'); }, false],
  ])('%s ⇒ changed: %s', (_, patch, changed) => {
    expect(rebuildKey(variant(patch), 'qemu', '1.32.5') !== base()).toBe(changed);
  });

  it('derives every Kubernetes variable from the target version and keeps paths and secrets out', () => {
    const inputs = keyInputs(ubuntu, 'qemu', '1.32.5') as { variables: Record<string, string> };
    expect(inputs.variables).toMatchObject({ kubernetes_semver: 'v1.32.5', kubernetes_series: 'v1.32', kubernetes_deb_version: '1.32.5-1.1' });
    expect(JSON.stringify(inputs)).not.toMatch(/output_directory|ssh_password|image_name|HCLOUD_TOKEN|OS_PASSWORD/);
  });

  it('ignores plugin pins for a Packer without plugin support', () => {
    const pinned = structuredClone(debian);
    pinned.plugins = { qemu: '1.1.3' };
    expect(rebuildKey(pinned, 'local', '1.32.5')).toBe(rebuildKey(debian, 'local', '1.32.5'));
  });
});

describe('planImagesFor on copies of the shipped stacks', () => {
  let work: string;
  beforeAll(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-images-plan-'));
    await fs.cp(path.join(repoRoot, 'stacks'), path.join(work, 'stacks'), { recursive: true });
  });
  afterAll(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });
  const plan = () => planImagesFor({
    stackDirs: ['openstack', 'hcloud', 'docker'].map((p) => path.join(work, 'stacks', p, 'scs')),
    cwd: work,
    imagesDir,
    ledgerDir: path.join(work, 'releases'),
  });

  it('plans every image once, none after recording them, none for an addon-only change, one per (provider, minor) after a patch bump', async () => {
    const first = await plan();
    expect(first.issues).toEqual([]);
    const minors = first.plan.items.map((i) => i.minor).sort();
    expect(minors).toEqual(['hcloud/1.31', 'hcloud/1.32', 'openstack/1.31', 'openstack/1.32']);
    for (const item of first.plan.items) await writeImageRecord(path.join(work, 'releases'), recordFor(item));
    expect((await plan()).plan.items.filter((i) => i.action === 'build')).toEqual([]);

    // Addon-only change: chart values of the cluster-addon.
    const values = path.join(work, 'stacks/openstack/scs/cluster-addon/cni/values.yaml');
    await fs.appendFile(values, '\n# addon-only change\n');
    expect((await plan()).plan.items.filter((i) => i.action === 'build')).toEqual([]);

    // Kubernetes patch bump on both providers' 1.32 line.
    for (const p of ['openstack', 'hcloud']) {
      const file = path.join(work, 'stacks', p, 'scs', 'versions.yaml');
      await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('kubernetes: 1.32.5', 'kubernetes: 1.32.6'));
    }
    const bumped = (await plan()).plan.items.filter((i) => i.action === 'build');
    expect(bumped.map((i) => `${i.minor} ${i.kubernetes}`).sort()).toEqual(['hcloud/1.32 1.32.6', 'openstack/1.32 1.32.6']);
  });
});
