import { describe, expect, it } from 'vitest';
import { admitsKubernetes, atLeast, helmRange, majorMinor } from './versions.js';

describe('version helpers', () => {
  it.each([
    ['5.10', '5.4', true],
    ['5.4', '5.10', false],
    ['4.19.57', '4.19.57', true],
    ['4.19.50', '4.19.57', false],
    ['v1.7.27', '1.4', true],
    ['6.8.0-45-generic', '6.8', true],
    ['latest', '1.0', undefined],
  ])('atLeast(%s, %s) is %s', (version, minimum, want) => {
    expect(atLeast(version, minimum)).toBe(want);
  });

  it.each([
    ['>= 1.21.0-0', '1.32.5', true],
    ['>= 1.21.0-0', '1.33.0-rc.1', true],
    ['>= 1.21.0', '1.33.0-rc.1', false],
    ['>= 1.21.0-0, < 1.34.0-0', '1.33.0-rc.1', true],
    ['>= 1.21.0-0, < 1.33.0-0', '1.33.0-rc.1', false],
    ['>= 1.21.0-0, < 1.33.0', '1.33.0-rc.1', false],
    ['>=1.20, <1.32', '1.31.9', true],
    ['>=1.20, <1.32', '1.32.5', false],
    ['>= v1.28.0', '1.28.0', true],
    ['1.30.x || 1.32.x', '1.32.5', true],
    ['1.30.x || 1.32.x', '1.31.9', false],
    ['^1.29.0', '1.32.5', true],
    ['~1.31.0', '1.32.5', false],
    ['not a range', '1.32.5', undefined],
  ])('kubeVersion %j admits %s: %s', (constraint, version, want) => {
    expect(admitsKubernetes(constraint, version)).toBe(want);
  });

  it.each([
    ['>= 1.21.0-0, < 1.33.0-0', '>= 1.21.0-0 < 1.33.0-0'],
    ['>=v1.20 || 1.30.x', '>=1.20 || 1.30.x'],
    ['?', undefined],
  ])('helmRange(%j) is %j', (constraint, want) => {
    expect(helmRange(constraint)).toBe(want);
  });

  it.each([
    ['1.31', [1, 31]],
    ['v1.32.5', [1, 32]],
    ['x', undefined],
  ])('majorMinor(%s) is %j', (version, want) => {
    expect(majorMinor(version)).toEqual(want);
  });
});
