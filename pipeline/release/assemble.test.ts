import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ValidationFailed } from '../core/errors.js';
import { readTgz } from '../bundle/index.js';
import { assembleBundle } from './assemble.js';
import { treeHashes } from '../version/index.js';
import type { SourceTree, TargetPlan, TreeFile } from './types.js';

const file = (p: string, text: string): TreeFile => {
  const data = Buffer.from(text);
  return { path: p, data, sha256: createHash('sha256').update(data).digest('hex') };
};
const classFiles = [file('cluster-class/Chart.yaml', 'apiVersion: v2\nname: docker-scs-1-32-cluster-class\nversion: v1\n'), file('cluster-class/templates/cc.yaml', 'kind: ClusterClass\n')];
const newTree: SourceTree = { charts: [], files: [...classFiles, file('cluster-addon/cni/Chart.yaml', 'apiVersion: v2\nname: cni\nversion: v1\n'), file('clusteraddon.yaml', 'addonStages: {}\n')] };
const oldTree: SourceTree = {
  charts: [],
  files: [...classFiles, file('cluster-addon/Chart.yaml', 'apiVersion: v2\nname: docker-scs-1-32-cluster-addon\nversion: v1\n'), file('cluster-addon/values.yaml', 'a: 1\n'), file('cluster-addon-values.yaml', 'values: |\n  a: 2\n')],
};
const nodeImageTree: SourceTree = { charts: [], files: [...newTree.files, file('node-images.yaml', 'openStackNodeImages:\n  - url: https://example.org/ubuntu.qcow2\n    createOpts:\n      name: ubuntu-2404-kube-v1.32.5\n')] };

function planFor(tree: SourceTree, versions = { clusterStack: 'v3', clusterAddon: 'v2', nodeImage: 'v1' }): TargetPlan {
  return {
    stack: 'stacks/docker/scs', stackDir: '/x', provider: 'docker', name: 'scs', kubernetesVersion: '1.32.5', minor: '1.32', channel: 'stable', mode: 'stable', action: 'release',
    releaseName: 'docker-scs-1-32-v3', clusterClassName: 'docker-scs-1-32-v3', versions, why: { clusterStack: '', clusterAddon: '', nodeImage: '' },
    hashes: treeHashes(tree.files), hashChanges: [], changedFiles: {}, unchanged: [], charts: [], input: { hash: 'raw', targets: ['1.32.5'] }, issues: [],
  };
}

describe('assembleBundle', () => {
  it.each<[string, SourceTree, string[]]>([
    ['new convention', newTree, ['SHA256SUMS', 'clusteraddon.yaml', 'docker-scs-1-32-cluster-addon-v2.tgz', 'docker-scs-1-32-cluster-class-v3.tgz', 'hashes.json', 'metadata.yaml', 'sbom.cdx.json']],
    ['old convention (umbrella chart + values)', oldTree, ['SHA256SUMS', 'cluster-addon-values.yaml', 'docker-scs-1-32-cluster-addon-v2.tgz', 'docker-scs-1-32-cluster-class-v3.tgz', 'hashes.json', 'metadata.yaml', 'sbom.cdx.json']],
    ['with node images', nodeImageTree, ['SHA256SUMS', 'clusteraddon.yaml', 'docker-scs-1-32-cluster-addon-v2.tgz', 'docker-scs-1-32-cluster-class-v3.tgz', 'hashes.json', 'metadata.yaml', 'node-images.yaml', 'sbom.cdx.json']],
  ])('%s: CSO asset names', async (_name, tree, names) => {
    const files = await assembleBundle(planFor(tree), tree, { created: '2026-01-01T00:00:00Z', mtime: 0 });
    expect(files.map((f) => f.name)).toEqual(names);
    const sums = files.find((f) => f.name === 'SHA256SUMS')?.data.toString() ?? '';
    for (const f of files.filter((x) => x.name !== 'SHA256SUMS')) expect(sums).toContain(`${createHash('sha256').update(f.data).digest('hex')}  ${f.name}\n`);
  });

  it('old convention: the umbrella chart carries the clusterAddon version', async () => {
    const files = await assembleBundle(planFor(oldTree), oldTree, { created: '2026-01-01T00:00:00Z', mtime: 0 });
    const addon = files.find((f) => f.name === 'docker-scs-1-32-cluster-addon-v2.tgz');
    const chart = readTgz(Buffer.from(addon?.data ?? []), 'addon').find((e) => e.path === 'docker-scs-1-32-cluster-addon/Chart.yaml');
    expect(chart?.data.toString()).toMatch(/^version: v2$/m);
  });

  it('lists node images in the SBOM', async () => {
    const files = await assembleBundle(planFor(nodeImageTree), nodeImageTree, { created: '2026-01-01T00:00:00Z', mtime: 0 });
    const sbom = JSON.parse(files.find((f) => f.name === 'sbom.cdx.json')?.data.toString() ?? '{}') as { components: { type: string; name: string }[] };
    expect(sbom.components).toContainEqual(expect.objectContaining({ type: 'operating-system', name: 'ubuntu-2404-kube-v1.32.5' }));
  });

  it.each([0, 1_700_000_000])('is a pure function of its input (mtime %i)', async (mtime) => {
    const a = await assembleBundle(planFor(newTree), newTree, { created: '2026-01-01T00:00:00Z', mtime });
    const b = await assembleBundle(planFor(newTree), newTree, { created: '2026-01-01T00:00:00Z', mtime });
    expect(b).toEqual(a);
  });

  it('refuses metadata CSO would reject', async () => {
    const run = () => assembleBundle(planFor(newTree, { clusterStack: 'v3', clusterAddon: 'v2', nodeImage: '' }), newTree, { created: '2026-01-01T00:00:00Z', mtime: 0 });
    await expect(run()).rejects.toThrow(ValidationFailed);
    try {
      await run();
    } catch (error) {
      expect((error as ValidationFailed).issues.map((i) => i.message)).toEqual([expect.stringMatching(/components\.nodeImage ""/)]);
    }
  });
});
