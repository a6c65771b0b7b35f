import { describe, expect, it } from 'vitest';
import {
  buildReleaseNames,
  clusterAddonArchiveName,
  parseClusterClassName,
  parseKubernetesMinor,
  parseReleaseName,
  validateReleaseName,
  type ReleaseNameInput,
} from './release-name.js';
import { dotNameToDash } from './versions.js';

const input = (over: Partial<ReleaseNameInput> = {}): ReleaseNameInput => ({
  provider: 'openstack',
  name: 'scs2',
  kubernetesVersion: '1.34',
  version: 'v2',
  ...over,
});

describe('parseReleaseName (CSO NewFromClusterStackReleaseProperties)', () => {
  it.each([
    ['openstack-scs2-1-34-v2', { provider: 'openstack', name: 'scs2', k: [1, 34], v: ['stable', 2, ''] }],
    ['docker-ferrol-1-27-v0-sha-hipstsw', { provider: 'docker', name: 'ferrol', k: [1, 27], v: ['sha', 0, 'hipstsw'] }],
    ['docker-ferrol-1-27-v1-stable-3', { provider: 'docker', name: 'ferrol', k: [1, 27], v: ['stable', 1, ''] }],
  ])('%s parses', (text, e) => {
    expect(parseReleaseName(text)).toEqual({
      provider: e.provider,
      name: e.name,
      kubernetes: { major: e.k[0], minor: e.k[1] },
      version: { channel: e.v[0], major: e.v[1], patch: e.v[2] },
    });
  });

  it.each([
    'docker-ferrol-1-27-v0-sha.hipstsw', // dot form is 5 parts but fails the dash regex
    'docker-ferrol-1.27-v1', // 4 parts
    'my-provider-ferrol-1-27-v1', // 6 parts
    '-ferrol-1-27-v1',
    'docker--1-27-v1',
    'docker-ferrol-x-27-v1',
    'docker-ferrol-1-27-1',
    'docker-ferrol-1-27-v1-alpha',
  ])('%s is rejected', (text) => {
    expect(parseReleaseName(text)).toBeUndefined();
  });

  it('parses ClusterClass names with 5 or 6 parts (dot form) and maps them back by the dot → dash rule', () => {
    const cc = 'docker-ferrol-1-27-v0-sha.hipstsw';
    expect(parseClusterClassName(cc)?.version).toEqual({ major: 0, channel: 'sha', patch: 'hipstsw' });
    expect(parseReleaseName(dotNameToDash(cc))).toEqual(parseClusterClassName(cc));
    expect(parseClusterClassName('docker-ferrol-1-27-v0-sha-hipstsw')).toBeUndefined();
  });
});

describe('parseKubernetesMinor', () => {
  it.each([
    ['1.34', { major: 1, minor: 34 }],
    ['v1.34.2', { major: 1, minor: 34 }],
    ['1.34.0', { major: 1, minor: 34 }],
    ['1-34', undefined],
    ['1.034', undefined],
    ['v1', undefined],
  ])('%s', (text, out) => {
    expect(parseKubernetesMinor(text)).toEqual(out);
  });
});

describe('buildReleaseNames / validateReleaseName', () => {
  it.each([
    [input(), 'openstack-scs2-1-34-v2', 'openstack-scs2-1-34-v2', 'openstack-scs2-1-34-cluster-class-v2.tgz'],
    [
      input({ provider: 'docker', name: 'ferrol', kubernetesVersion: 'v1.27.3', version: 'v0-sha.hipstsw' }),
      'docker-ferrol-1-27-v0-sha-hipstsw',
      'docker-ferrol-1-27-v0-sha.hipstsw',
      'docker-ferrol-1-27-cluster-class-v0-sha.hipstsw.tgz',
    ],
  ])('%j → %s', (given, release, clusterClass, chart) => {
    const { names, issues } = buildReleaseNames(given);
    expect(issues).toEqual([]);
    expect(names?.releaseName).toBe(release);
    expect(names?.clusterClassName).toBe(clusterClass);
    expect(names?.clusterClassChart).toBe(chart);
    // What we build, CSO parses back to the same parts.
    expect(parseReleaseName(release)).toEqual(parseClusterClassName(clusterClass));
  });

  it.each<[Partial<ReleaseNameInput>, string[]]>([
    [{ provider: 'my-provider' }, ['RELEASE_NAME_PART_INVALID']],
    [{ name: 'SCS' }, ['RELEASE_NAME_PART_INVALID']],
    [{ name: '' }, ['RELEASE_NAME_PART_INVALID']],
    [{ kubernetesVersion: '1-34' }, ['RELEASE_NAME_KUBERNETES_INVALID']],
    [{ version: 'v2-sha-abc' }, ['VERSION_WRONG_FORM']],
    [{ version: 'v1-stable.1' }, ['VERSION_STABLE_WITH_PATCH']],
    [{ provider: 'a-b', name: 'C', kubernetesVersion: 'x', version: 'y' }, ['RELEASE_NAME_PART_INVALID', 'RELEASE_NAME_PART_INVALID', 'RELEASE_NAME_KUBERNETES_INVALID', 'VERSION_INVALID']],
    [{ provider: 'p'.repeat(30), name: 'n'.repeat(18) }, ['RELEASE_NAME_TOO_LONG']], // 30+1+18+5 = 54 > 53
    [{ provider: 'p'.repeat(30), name: 'n'.repeat(17) }, []], // exactly 53
    [{ version: `v1-custom.${'x'.repeat(110)}` }, ['RELEASE_NAME_TOO_LONG']], // OCI tag > 128
  ])('%j → %j', (over, codes) => {
    const issues = validateReleaseName(input(over));
    expect(issues.map((i) => i.code)).toEqual(codes);
    expect(buildReleaseNames(input(over)).names === undefined).toBe(codes.length > 0);
  });

  it('names the addon archive after the addon version, not the release', () => {
    expect(clusterAddonArchiveName('openstack-scs2-1-34', 'v1')).toBe('openstack-scs2-1-34-cluster-addon-v1.tgz');
  });
});
