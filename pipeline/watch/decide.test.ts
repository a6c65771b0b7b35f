/** The policy decision for one component, as a table: every reason a newer version is refused. */
import { describe, expect, it } from 'vitest';
import { decide, minorRange, patchRange, type DecideInput } from './decide.js';
import type { Candidate } from './types.js';

const now = new Date('2026-06-10T00:00:00Z');
const c = (version: string, extra: Partial<Candidate> = {}): Candidate => ({ version, published: '2026-05-01T00:00:00Z', ...extra });
const base = (candidates: Candidate[], extra: Partial<DecideInput> = {}): DecideInput => ({ name: 'x', current: '1.17.4', candidates, minimumReleaseAgeMs: 0, now, ignored: () => false, ...extra });
const reasons = (input: DecideInput): string[] => decide(input).rejected.map((r) => `${r.version} ${r.reason}`);

describe('decide', () => {
  it.each([
    ['newest patch in range, upstream order ignored', base([c('1.17.5'), c('1.17.7'), c('1.17.6')], { range: '~1.17.4' }), '1.17.7', []],
    ['pre-release skipped', base([c('1.17.8-rc.1'), c('1.17.7')]), '1.17.7', ['1.17.8-rc.1 pre-release']],
    ['prerelease flag (GitHub) skipped', base([c('1.17.8', { prerelease: true }), c('1.17.5')]), '1.17.5', ['1.17.8 pre-release']],
    ['removed entry skipped', base([c('1.17.9', { removed: true }), c('1.17.5')]), '1.17.5', ['1.17.9 removed']],
    ['outside range', base([c('1.18.0'), c('1.17.5')], { range: '~1.17.4' }), '1.17.5', ['1.18.0 outside-range']],
    ['only the newest outside-range version is listed', base([c('1.19.0'), c('1.18.1'), c('1.18.0'), c('1.17.5')], { range: '~1.17.4' }), '1.17.5', ['1.19.0 outside-range']],
    ['kubeVersion excludes the target', base([c('1.17.6', { kubeVersion: '>=1.33.0-0' }), c('1.17.5')], { kubernetes: '1.32.14' }), '1.17.5', ['1.17.6 kube-version-mismatch']],
    ['kubeVersion admits the target', base([c('1.17.6', { kubeVersion: '>= 1.21.0-0' })], { kubernetes: '1.32.14' }), '1.17.6', []],
    ['too new for the minimum age', base([c('1.17.6', { published: '2026-06-09T00:00:00Z' }), c('1.17.5')], { minimumReleaseAgeMs: 3 * 86_400_000 }), '1.17.5', ['1.17.6 too-new']],
    ['no date (git tags): the age check is skipped', base([c('1.17.6', { published: undefined })], { minimumReleaseAgeMs: 1 }), '1.17.6', []],
    ['ignored', base([c('1.17.6'), c('1.17.5')], { ignored: (v) => v === '1.17.6' }), '1.17.5', ['1.17.6 ignored']],
    ['no node image', base([c('1.17.6'), c('1.17.5')], { imageMissing: (v) => v === '1.17.6' }), '1.17.5', ['1.17.6 no-node-image']],
    ['non-SemVer tags reported, never chosen', base([c('latest'), c('v1.17-nightly'), c('1.17.5')]), '1.17.5', ['latest not-semver', 'v1.17-nightly not-semver']],
    ['nothing newer: stays on current', base([c('1.17.4'), c('1.16.9')]), '1.17.4', []],
    ['older versions are never chosen', base([c('1.16.9')]), '1.17.4', []],
  ])('%s', (_name, input, allowed, rejected) => {
    expect(decide(input).allowed).toBe(allowed);
    expect(reasons(input)).toEqual(rejected);
  });

  it('reports the newest version overall, removed ones excluded', () => {
    expect(decide(base([c('1.19.0', { removed: true }), c('1.18.2'), c('1.17.5')], { range: '~1.17.4' })).newest).toBe('1.18.2');
  });

  it.each([
    ['2.32.0', 32, '>=2.32.0 <2.33.0'],
    ['2.31.7', 32, '>=2.32.0 <2.33.0'],
  ])('minorRange(%s, %d) = %s', (current, minor, range) => {
    expect(minorRange(current, minor)).toBe(range);
  });

  it('patchRange keeps the minor', () => {
    expect(patchRange('3.12.2')).toBe('~3.12.2');
  });
});
