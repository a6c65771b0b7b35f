import { describe, expect, it } from 'vitest';
import {
  compareVersions,
  convertVersion,
  dotNameToDash,
  formatVersion,
  latestInChannel,
  parseVersion,
  validateVersion,
  type CsVersion,
  type VersionForm,
} from './versions.js';

const v = (major: number, channel = 'stable', patch = ''): CsVersion => ({ major, channel, patch });

describe('parseVersion', () => {
  it.each<[string, VersionForm, CsVersion | undefined]>([
    ['v1', 'dot', v(1)],
    ['v1', 'dash', v(1)],
    ['v0-sha.hipstsw', 'dot', v(0, 'sha', 'hipstsw')],
    ['v0-sha-hipstsw', 'dash', v(0, 'sha', 'hipstsw')],
    ['v0-sha-hipstsw', 'dot', undefined],
    ['v0-sha.hipstsw', 'dash', undefined],
    ['v1-alpha.0', 'dot', v(1, 'alpha', '0')],
    ['v1-stable.3', 'dot', v(1)], // CSO quirk: stable with a patch is plain v1
    ['v1-stable-3', 'dash', v(1)],
    ['v10', 'dot', v(10)],
    ['v01', 'dot', v(1)],
    ['v1-alpha', 'dot', undefined],
    ['v1-alpha.', 'dot', undefined],
    ['v1-alpha-1.0', 'dot', undefined],
    ['v1.0-alpha.1', 'dot', undefined],
    ['1', 'dot', undefined],
    ['v-1', 'dash', undefined],
    ['v1-a.b.c', 'dot', undefined],
    ['v1-ümlaut.1', 'dot', undefined], // \w is ASCII in Go
    ['v1-Custom_X.y_Z', 'dot', v(1, 'Custom_X', 'y_Z')],
    ['v99999999999999999999', 'dot', undefined],
  ])('%s (%s)', (text, form, expected) => {
    expect(parseVersion(text, form)).toEqual(expected);
  });
});

describe('formatVersion and conversion', () => {
  it.each<[CsVersion, string, string]>([
    [v(1), 'v1', 'v1'],
    [v(0, 'sha', 'abc1234'), 'v0-sha.abc1234', 'v0-sha-abc1234'],
    [v(2, 'custom', '7'), 'v2-custom.7', 'v2-custom-7'],
  ])('%j → %s / %s', (version, dot, dash) => {
    expect(formatVersion(version, 'dot')).toBe(dot);
    expect(formatVersion(version, 'dash')).toBe(dash);
    expect(convertVersion(dot, 'dot', 'dash')).toBe(dash);
    expect(convertVersion(dash, 'dash', 'dot')).toBe(dot);
  });

  it('returns undefined when the source does not parse', () => {
    expect(convertVersion('v1-a-b', 'dot', 'dash')).toBeUndefined();
  });

  it.each([
    ['docker-ferrol-1-27-v0-sha.3960147', 'docker-ferrol-1-27-v0-sha-3960147'],
    ['openstack-scs2-1-34-v2', 'openstack-scs2-1-34-v2'],
    ['a.b.c', 'a.b.c'],
    ['x.', 'x-'],
  ])('dotNameToDash(%s) = %s', (input, out) => {
    expect(dotNameToDash(input)).toBe(out);
  });
});

describe('compareVersions and latestInChannel', () => {
  it.each<[CsVersion, CsVersion, -1 | 0 | 1 | undefined]>([
    [v(10), v(9), 1],
    [v(1), v(2), -1],
    [v(3), v(3), 0],
    [v(0, 'beta', '10'), v(0, 'beta', '9'), -1], // patch compares as a plain string
    [v(1, 'beta', '1'), v(0, 'beta', '9'), 1],
    [v(1), v(1, 'sha', 'a'), undefined],
    [v(0, 'sha', 'b'), v(0, 'custom', 'a'), undefined],
  ])('%j vs %j = %s', (a, b, out) => {
    expect(compareVersions(a, b)).toBe(out);
  });

  it('picks the latest of a channel and ignores the others', () => {
    const all = [v(2), v(10), v(99, 'sha', 'zzz'), v(9)];
    expect(latestInChannel(all, 'stable')).toEqual(v(10));
    expect(latestInChannel(all, 'custom')).toBeUndefined();
  });
});

describe('validateVersion', () => {
  it.each<[string, VersionForm, string[]]>([
    ['v1', 'dot', []],
    ['v0-sha.abc1234', 'dot', []],
    ['v0-sha-abc1234', 'dot', ['VERSION_WRONG_FORM']],
    ['v0-sha.abc1234', 'dash', ['VERSION_WRONG_FORM']],
    ['1.2.3', 'dot', ['VERSION_INVALID']],
    ['v1-stable.3', 'dot', ['VERSION_STABLE_WITH_PATCH']],
    ['v01', 'dot', ['VERSION_NOT_CANONICAL']],
    ['v1-Custom.x', 'dot', ['VERSION_NOT_LOWERCASE']],
    ['v1-custom.x_y', 'dot', ['VERSION_NOT_LOWERCASE']],
  ])('%s (%s) → %j', (text, form, codes) => {
    const issues = validateVersion(text, form);
    expect(issues.map((i) => i.code)).toEqual(codes);
    for (const issue of issues) expect(issue.hint).toBeTruthy();
  });

  it('suggests the converted spelling for the wrong form', () => {
    expect(validateVersion('v0-sha-abc1234', 'dot')[0]?.hint).toContain('v0-sha.abc1234');
  });
});
