import { describe, expect, it } from 'vitest';
import { ValidationFailed } from '../core/errors.js';
import { bumpStable, diffHashes, hashModeVersion, planVersions, type ComponentVersions, type PlanVersionsInput, type PreviousRelease } from './plan.js';
import type { StackHashes } from './stack-hashes.js';

const base: StackHashes = {
  clusterStack: 'hipstswjj1vqsatkn5sbscwe1ghuyor8okw0r1aspq',
  clusterAddonDir: 'addon0',
  clusterAddonValues: 'values0',
  clusterClassDir: 'class0',
  nodeImageDir: '',
};
const hashes = (over: Partial<StackHashes> = {}): StackHashes => ({ ...base, ...over });
const versions = (clusterStack: string, clusterAddon: string, nodeImage: string): ComponentVersions => ({ clusterStack, clusterAddon, nodeImage });
const prev = (v: ComponentVersions, h: Partial<StackHashes> = base): PreviousRelease => ({ versions: v, hashes: h });

function codesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationFailed) return error.issues.map((i) => i.code);
    throw error;
  }
  return [];
}

describe('stable mode', () => {
  it.each<[string, PlanVersionsInput, 'release' | 'none', ComponentVersions, string[]]>([
    ['first release', { mode: 'stable', hashes: hashes() }, 'release', versions('v1', 'v1', 'v1'), []],
    [
      'nothing changed',
      { mode: 'stable', hashes: hashes(), previous: prev(versions('v3', 'v2', 'v1')) },
      'none',
      versions('v3', 'v2', 'v1'),
      [],
    ],
    [
      'cluster-class only: new stack version, addon and node image stay',
      { mode: 'stable', hashes: hashes({ clusterStack: 'new', clusterClassDir: 'class1' }), previous: prev(versions('v3', 'v2', 'v1')) },
      'release',
      versions('v4', 'v2', 'v1'),
      ['clusterStack', 'clusterClassDir'],
    ],
    [
      'addon dir changed',
      { mode: 'stable', hashes: hashes({ clusterStack: 'new', clusterAddonDir: 'addon1' }), previous: prev(versions('v3', 'v2', 'v1')) },
      'release',
      versions('v4', 'v3', 'v1'),
      ['clusterStack', 'clusterAddonDir'],
    ],
    [
      'addon values changed',
      { mode: 'stable', hashes: hashes({ clusterStack: 'new', clusterAddonValues: 'values1' }), previous: prev(versions('v9', 'v9', 'v1')) },
      'release',
      versions('v10', 'v10', 'v1'),
      ['clusterStack', 'clusterAddonValues'],
    ],
    [
      'node image changed',
      { mode: 'stable', hashes: hashes({ clusterStack: 'new', nodeImageDir: 'img' }), previous: prev(versions('v3', 'v2', 'v1')) },
      'release',
      versions('v4', 'v2', 'v2'),
      ['clusterStack', 'nodeImageDir'],
    ],
    [
      'only files outside the components changed (e.g. csctl.yaml)',
      { mode: 'stable', hashes: hashes({ clusterStack: 'new' }), previous: prev(versions('v3', 'v2', 'v1')) },
      'release',
      versions('v4', 'v2', 'v1'),
      ['clusterStack'],
    ],
    [
      'csctl release without clusterClassDir: class change seen through clusterStack',
      {
        mode: 'stable',
        hashes: hashes({ clusterStack: 'new', clusterClassDir: 'class1' }),
        previous: prev(versions('v3', 'v2', 'v1'), { clusterStack: base.clusterStack, clusterAddonDir: 'addon0', clusterAddonValues: 'values0' }),
      },
      'release',
      versions('v4', 'v2', 'v1'),
      ['clusterStack'],
    ],
    [
      'old release without clusterAddonValues reads it as "" like csctl',
      {
        mode: 'stable',
        hashes: hashes(),
        previous: prev(versions('v3', 'v2', 'v1'), { clusterStack: base.clusterStack, clusterAddonDir: 'addon0', clusterClassDir: 'class0' }),
      },
      'release',
      versions('v4', 'v3', 'v1'),
      ['clusterAddonValues'],
    ],
    [
      'previous node image empty becomes v1',
      { mode: 'stable', hashes: hashes({ clusterStack: 'new', clusterClassDir: 'c' }), previous: prev(versions('v3', 'v2', '')) },
      'release',
      versions('v4', 'v2', 'v1'),
      ['clusterStack', 'clusterClassDir'],
    ],
    [
      'previous hashes unknown: bump all',
      { mode: 'stable', hashes: hashes(), previous: prev(versions('v3', 'v2', 'v1'), {}) },
      'release',
      versions('v4', 'v3', 'v2'),
      [],
    ],
  ])('%s', (_name, planInput, action, expected, changed) => {
    const plan = planVersions(planInput);
    expect(plan.action).toBe(action);
    expect(plan.versions).toEqual(expected);
    expect(plan.changes.map((c) => c.key)).toEqual(changed);
    for (const why of Object.values(plan.why)) expect(why).toBeTruthy();
  });

  it('explains which hashes moved', () => {
    const plan = planVersions({ mode: 'stable', hashes: hashes({ clusterStack: 'new', clusterAddonDir: 'addon1' }), previous: prev(versions('v3', 'v2', 'v1')) });
    expect(plan.why.clusterStack).toBe('bumped from v3: clusterStack, clusterAddonDir changed');
    expect(plan.why.clusterAddon).toBe('bumped from v2: clusterAddonDir changed');
    expect(plan.why.nodeImage).toBe('kept: nodeImageDir unchanged');
  });

  it('warns when previous hashes are unknown and notes when nothing changed', () => {
    expect(planVersions({ mode: 'stable', hashes: hashes(), previous: prev(versions('v3', 'v2', 'v1'), {}) }).issues.map((i) => i.code)).toEqual([
      'PLAN_PREVIOUS_HASHES_MISSING',
    ]);
    expect(planVersions({ mode: 'stable', hashes: hashes(), previous: prev(versions('v3', 'v2', 'v1')) }).issues.map((i) => i.code)).toEqual([
      'PLAN_NOTHING_TO_RELEASE',
    ]);
  });

  it('refuses to bump a non-stable previous version', () => {
    expect(codesOf(() => planVersions({ mode: 'stable', hashes: hashes({ clusterStack: 'x' }), previous: prev(versions('v0-sha.abc', 'v1', 'v1')) }))).toEqual([
      'PLAN_PREVIOUS_NOT_STABLE',
    ]);
  });
});

describe('hash mode', () => {
  it.each<[string, PlanVersionsInput, 'release' | 'none']>([
    ['no previous', { mode: 'hash', hashes: hashes() }, 'release'],
    ['previous stable release', { mode: 'hash', hashes: hashes(), previous: prev(versions('v3', 'v2', 'v1')) }, 'release'],
    ['same hash release exists', { mode: 'hash', hashes: hashes(), previous: prev(versions('v0-sha.hipstsw', 'v0-sha.hipstsw', 'v0-sha.hipstsw')) }, 'none'],
  ])('%s', (_name, planInput, action) => {
    const plan = planVersions(planInput);
    expect(plan.action).toBe(action);
    expect(plan.versions).toEqual(versions('v0-sha.hipstsw', 'v0-sha.hipstsw', 'v0-sha.hipstsw'));
  });

  it('needs a clusterStack hash', () => {
    expect(codesOf(() => planVersions({ mode: 'hash', hashes: hashes({ clusterStack: '' }) }))).toEqual(['PLAN_HASH_MISSING']);
  });
});

describe('custom mode', () => {
  const custom = versions('v1-custom.2', 'v1-custom.2', 'v1');
  it.each<[string, PlanVersionsInput, 'release' | 'none', string[]]>([
    ['no previous', { mode: 'custom', hashes: hashes(), custom }, 'release', []],
    ['same versions and content', { mode: 'custom', hashes: hashes(), custom, previous: prev(custom) }, 'none', []],
    [
      'addon moved but version kept',
      { mode: 'custom', hashes: hashes({ clusterStack: 'n', clusterAddonDir: 'a1' }), custom, previous: prev(versions('v1-custom.1', 'v1-custom.2', 'v1')) },
      'release',
      ['PLAN_ADDON_NOT_BUMPED'],
    ],
  ])('%s', (_name, planInput, action, codes) => {
    const plan = planVersions(planInput);
    expect(plan.action).toBe(action);
    expect(plan.versions).toEqual(custom);
    expect(plan.issues.map((i) => i.code)).toEqual(codes);
  });

  it.each<[string, PlanVersionsInput, string[]]>([
    ['missing versions', { mode: 'custom', hashes: hashes() }, ['PLAN_CUSTOM_VERSIONS_MISSING']],
    ['dash form', { mode: 'custom', hashes: hashes(), custom: versions('v1-custom-2', 'v1', 'v1-stable.1') }, ['VERSION_WRONG_FORM', 'VERSION_STABLE_WITH_PATCH']],
    [
      'existing version, other content',
      { mode: 'custom', hashes: hashes({ clusterStack: 'n' }), custom, previous: prev(custom) },
      ['PLAN_VERSION_EXISTS'],
    ],
  ])('rejects %s', (_name, planInput, codes) => {
    expect(codesOf(() => planVersions(planInput))).toEqual(codes);
  });
});

describe('helpers', () => {
  it.each([
    ['v1', 'v2'],
    ['v9', 'v10'],
    ['v0', 'v1'],
    ['v1-sha.abc', undefined],
    ['garbage', undefined],
  ])('bumpStable(%s) = %s', (input, out) => {
    expect(bumpStable(input)).toBe(out);
  });

  it('hashModeVersion takes 7 characters', () => {
    expect(hashModeVersion('hipstswjj1vq')).toBe('v0-sha.hipstsw');
  });

  it('diffHashes compares nothing without a previous clusterStack hash', () => {
    expect(diffHashes({ clusterAddonDir: 'x' }, hashes())).toEqual([]);
  });
});
