import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { stackHashesFromFiles } from './stack-hashes.js';
import { componentOf, diffFiles, treeHashes } from './tree-hashes.js';
import type { TreeFile } from './tree-types.js';

const file = (p: string, text: string): TreeFile => {
  const data = Buffer.from(text);
  return { path: p, data, sha256: createHash('sha256').update(data).digest('hex') };
};

describe('treeHashes', () => {
  it.each<[string, TreeFile[]]>([
    ['class and addon', [file('csctl.yaml', 'a'), file('cluster-class/Chart.yaml', 'b'), file('cluster-addon/cni/Chart.yaml', 'c')]],
    ['values file and node image', [file('cluster-addon-values.yaml', 'values: x'), file('cluster-addon/Chart.yaml', 'c'), file('node-image/a', '1')]],
    ['byte order beats UTF-16 order', [file('cluster-class/\u00e9', 'x'), file('cluster-class/\uff5e', 'y'), file('cluster-class/Z', 'z')]],
    ['no components', [file('README.md', 'r')]],
  ])('equals the in-memory csctl hashes: %s', (_name, files) => {
    expect(treeHashes(files)).toEqual(stackHashesFromFiles(files.map((f) => ({ path: f.path, data: f.data }))));
  });

  it('changes only the hashes of the component that changed', () => {
    const base = [file('csctl.yaml', 'a'), file('cluster-class/Chart.yaml', 'b'), file('cluster-addon/cni/values.yaml', 'c')];
    const changed = [base[0] as TreeFile, base[1] as TreeFile, file('cluster-addon/cni/values.yaml', 'c2')];
    const [a, b] = [treeHashes(base), treeHashes(changed)];
    expect(b.clusterStack).not.toBe(a.clusterStack);
    expect(b.clusterAddonDir).not.toBe(a.clusterAddonDir);
    expect(b.clusterClassDir).toBe(a.clusterClassDir);
  });
});

describe('componentOf', () => {
  it.each([
    ['cluster-class/templates/x.yaml', 'clusterClass'],
    ['cluster-addon/cni/values.yaml', 'clusterAddon'],
    ['cluster-addon-values.yaml', 'clusterAddon'],
    ['node-image/config.yaml', 'nodeImage'],
    ['csctl.yaml', 'stack'],
    ['cluster-classes/x', 'stack'],
  ])('%s → %s', (p, component) => expect(componentOf(p)).toBe(component));
});

describe('diffFiles', () => {
  it.each<[string, Record<string, string>, Record<string, string>, ReturnType<typeof diffFiles>]>([
    ['nothing changed', { a: '1' }, { a: '1' }, {}],
    ['modified addon file', { 'cluster-addon/x': '1', a: '1' }, { 'cluster-addon/x': '2', a: '1' }, { clusterAddon: { added: [], removed: [], modified: ['cluster-addon/x'] } }],
    [
      'added and removed across components',
      { 'cluster-class/old': '1', 'csctl.yaml': '1' },
      { 'cluster-class/new': '1', 'csctl.yaml': '2' },
      { clusterClass: { added: ['cluster-class/new'], removed: ['cluster-class/old'], modified: [] }, stack: { added: [], removed: [], modified: ['csctl.yaml'] } },
    ],
  ])('%s', (_name, before, after, expected) => expect(diffFiles(before, after)).toEqual(expected));
});
