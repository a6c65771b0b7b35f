import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadStack, type Stack } from '../stack/index.js';
import { repoRoot } from '../testing/paths.js';
import { fixtureChartCache, tempDir } from '../testing/workspace.js';
import { lockDigestOf } from './chart-lock.js';
import { materializeTarget } from './materialize.js';

let work: string;
let cache: string;
let stack: Stack;

beforeAll(async () => {
  work = await tempDir();
  cache = await fixtureChartCache(path.join(work, 'cache'));
  const loaded = await loadStack(path.join(repoRoot, 'stacks/openstack/scs'), { cwd: repoRoot });
  if (!loaded.stack) throw new Error('stacks/openstack/scs did not load');
  stack = loaded.stack;
});
afterAll(() => fs.rm(work, { recursive: true, force: true }));

const text = (tree: Awaited<ReturnType<typeof materializeTarget>>, p: string): string => tree.files.find((f) => f.path === p)?.data.toString('utf8') ?? '';

describe('materializeTarget (stacks/openstack/scs)', () => {
  it.each<[string, string, string, boolean]>([
    ['1.32.5', '2.32.0', 'openstack-scs-1-32-cluster-class', true],
    ['1.31.9', '2.31.3', 'openstack-scs-1-31-cluster-class', false],
  ])('Kubernetes %s: versions, names and vendored charts for the target', async (version, occm, className, cached) => {
    const target = stack.targets.find((t) => t.version === version);
    if (!target) throw new Error(version);
    const tree = await materializeTarget(stack, target, { chartCacheDir: cache });
    expect(tree.files.map((f) => f.path)).not.toContain('versions.yaml');
    expect((parse(text(tree, 'csctl.yaml')) as { config: { kubernetesVersion: string } }).config.kubernetesVersion).toBe(`v${version}`);
    expect((parse(text(tree, 'cluster-class/Chart.yaml')) as { name: string }).name).toBe(className);
    const chart = text(tree, 'cluster-addon/ccm/Chart.yaml');
    const lock = text(tree, 'cluster-addon/ccm/Chart.lock');
    expect((parse(chart) as { dependencies: { version: string }[] }).dependencies[0]?.version).toBe(occm);
    expect((parse(lock) as { dependencies: { version: string }[]; digest: string }).dependencies[0]?.version).toBe(occm);
    expect((parse(lock) as { digest: string }).digest).toBe(lockDigestOf(chart, lock));
    const vendored = `cluster-addon/ccm/charts/openstack-cloud-controller-manager-${occm}.tgz`;
    if (cached) {
      expect(tree.files.map((f) => f.path)).toContain(vendored);
      expect(tree.issues.filter((i) => i.severity === 'error')).toEqual([]);
    } else {
      expect(tree.files.map((f) => f.path)).not.toContain(vendored);
      const missing = tree.issues.find((i) => i.code === 'BUILD_DEPENDENCY_MISSING' && i.message.includes(`openstack-cloud-controller-manager ${occm}`));
      expect(missing?.location).toMatchObject({ file: target.location.file, line: (target.location.line ?? 0) + 1 });
    }
  });

  it('leaves files that already fit the target byte-identical', async () => {
    const target = stack.targets.find((t) => t.version === '1.32.5');
    if (!target) throw new Error('1.32.5');
    const tree = await materializeTarget(stack, target, { chartCacheDir: cache });
    for (const rel of ['csctl.yaml', 'cluster-class/Chart.yaml', 'cluster-addon/ccm/Chart.yaml', 'cluster-addon/ccm/Chart.lock']) {
      expect(text(tree, rel)).toBe(await fs.readFile(path.join(stack.dir, rel), 'utf8'));
    }
  });
});
