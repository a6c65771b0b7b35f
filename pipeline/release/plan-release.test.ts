import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Issue } from '../core/errors.js';
import { treeHashes } from '../version/index.js';
import { planRelease, type PreviousInput, type ReleaseInputs, type TargetInputs } from './plan-release.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

function target(files: Record<string, string>, previous?: PreviousInput, issues: Issue[] = []): TargetInputs {
  return {
    kind: 'target',
    stack: { displayDir: 'stacks/docker/scs', dir: '/repo/stacks/docker/scs', provider: 'docker', name: 'scs', targets: ['1.32.5'], inputHash: 'in' },
    target: { version: '1.32.5', major: 1, minor: 32, location: { file: 'stacks/docker/scs/versions.yaml', line: 2 } },
    files: Object.fromEntries(Object.entries(files).map(([p, text]) => [p, sha(text)])),
    charts: [],
    ...(previous ? { previous } : {}),
    issues,
  };
}

const tree = { 'csctl.yaml': 'a', 'cluster-class/Chart.yaml': 'b', 'cluster-addon/cni/Chart.yaml': 'c', 'node-image/config.yaml': 'd' };
const hashesOf = (files: Record<string, string>) => treeHashes(Object.entries(files).map(([path, text]) => ({ path, sha256: sha(text) })));
const previousOf = (files: Record<string, string>, versions = { clusterStack: 'v3', clusterAddon: 'v2', nodeImage: 'v1' }): PreviousInput => ({
  name: 'docker-scs-1-32-v3',
  release: { versions, hashes: hashesOf(files) },
  record: 'releases/docker-scs-1-32-v3.yaml',
});

describe('planRelease (pure: no file system)', () => {
  it.each([
    ['stable, no previous release: v1 everywhere', 'stable' as const, target(tree), 'release', { clusterStack: 'v1', clusterAddon: 'v1', nodeImage: 'v1' }],
    ['stable, addon changed: stack and addon bump', 'stable' as const, target({ ...tree, 'cluster-addon/cni/Chart.yaml': 'C' }, previousOf(tree)), 'release', { clusterStack: 'v4', clusterAddon: 'v3', nodeImage: 'v1' }],
    ['stable, node image changed: stack and node image bump', 'stable' as const, target({ ...tree, 'node-image/config.yaml': 'D' }, previousOf(tree)), 'release', { clusterStack: 'v4', clusterAddon: 'v2', nodeImage: 'v2' }],
    ['hash mode: v0-sha.<7> of the tree', 'hash' as const, target(tree), 'release', (() => { const v = `v0-sha.${hashesOf(tree).clusterStack.slice(0, 7)}`; return { clusterStack: v, clusterAddon: v, nodeImage: v }; })()],
  ])('%s', (_name, mode, entry, action, versions) => {
    const plan = planRelease({ mode, entries: [entry], issues: [] });
    expect(plan.issues).toEqual([]);
    expect(plan.targets).toHaveLength(1);
    expect(plan.targets[0]).toMatchObject({ action, versions, releaseName: `docker-scs-1-32-${versions.clusterStack.replace('.', '-')}`, minor: '1.32' });
  });

  it('stable mode with nothing changed: nothing to release, the previous versions stay', () => {
    const plan = planRelease({ mode: 'stable', entries: [target(tree, previousOf(tree))], issues: [] });
    expect(plan.targets[0]).toMatchObject({ action: 'none', previous: { name: 'docker-scs-1-32-v3', record: 'releases/docker-scs-1-32-v3.yaml' }, unchanged: ['clusterClass', 'clusterAddon', 'nodeImage', 'stack'] });
  });

  it('keeps input order: ledger issues first, decided targets and stack issues in place', () => {
    const decided = planRelease({ mode: 'hash', entries: [target(tree)], issues: [] }).targets[0]!;
    const ledgerIssue: Issue = { severity: 'warning', code: 'LEDGER_X', message: 'ledger' };
    const stackIssue: Issue = { severity: 'error', code: 'STACK_X', message: 'stack' };
    const targetIssue: Issue = { severity: 'warning', code: 'TARGET_X', message: 'target' };
    const plan = planRelease({ mode: 'hash', entries: [{ kind: 'issues', issues: [stackIssue] }, { kind: 'decided', plan: { ...decided, action: 'none' } }, target(tree, undefined, [targetIssue])], issues: [ledgerIssue] });
    expect(plan.issues).toEqual([ledgerIssue, stackIssue]);
    expect(plan.targets.map((t) => t.action)).toEqual(['none', 'release']);
    expect(plan.targets[1]!.issues[0]).toEqual(targetIssue);
  });

  it('is a pure function of its inputs: the same inputs give byte-identical JSON, and the inputs are not changed', () => {
    const inputs: ReleaseInputs = { mode: 'stable', entries: [target({ ...tree, 'cluster-class/values.yaml': 'x' }, previousOf(tree)), target(tree)], issues: [] };
    const before = JSON.stringify(inputs);
    const first = JSON.stringify(planRelease(inputs));
    const second = JSON.stringify(planRelease(JSON.parse(before) as ReleaseInputs));
    expect(second).toBe(first);
    expect(JSON.stringify(inputs)).toBe(before);
  });
});
