import { describe, expect, it } from 'vitest';
import { toYamlPretty } from './helm-funcs.js';
import { parseYamlGo, toYamlHelm } from './helm-yaml.js';
import { naturalLess, sortKeysNatural } from './yaml-keys.js';
import { canUsePlain } from './yaml-resolve.js';

describe('yaml.v2 key order', () => {
  it('sorts keys naturally (rendering-and-capi.md §2.6)', () => {
    expect(sortKeysNatural(['a10', 'B', 'a2', '1', '_x'])).toEqual(['_x', '1', 'B', 'a2', 'a10']);
  });
  it.each([
    ['a1', 'a01', true],
    ['a01', 'a1', false],
    ['x', 'xy', true],
    ['Z', 'a', true],
    ['-', 'a', true],
  ])('%s < %s is %s', (a, b, less) => {
    expect(naturalLess(a, b)).toBe(less);
  });
});

describe('yaml.v2 plain scalars', () => {
  it.each([
    ['yes', false], ['Off', false], ['~', false], ['123', false], ['1.10', false], ['1:20', false], ['2024-01-02', false],
    ['0x1F', false], ['hello', true], ['v1.2', true], ['1.2.3', true], ['yes please', true], ['.', true],
  ])('%s may be plain: %s', (s, plain) => {
    expect(canUsePlain(s)).toBe(plain);
  });
});

describe('toYaml', () => {
  it('emits JSON-typed numbers, quotes ambiguous strings and keeps sequences unindented', () => {
    expect(toYamlHelm({ num: 1000000, f: 1.5, l: ['yes', 'a'], e: {}, z: null, n: 'y' })).toBe(
      'e: {}\nf: 1.5\nl:\n- "yes"\n- a\n"n": "y"\nnum: 1000000\nz: null',
    );
  });
  it('writes multi-line strings as literal blocks and folds long plain strings', () => {
    expect(toYamlHelm({ s: 'a\nb\n' })).toBe('s: |\n  a\n  b');
    const long = toYamlHelm({ k: Array.from({ length: 20 }, (_, i) => `word${i}`).join(' ') });
    expect(long.split('\n').length).toBe(2);
    expect(long.split('\n')[1]?.startsWith('  ')).toBe(true);
  });
  it('returns "" when Go JSON marshalling fails', () => {
    expect(toYamlHelm({ x: NaN })).toBe('');
  });
  it('toYamlPretty indents sequences and prints floats with %g', () => {
    expect(toYamlPretty({ l: [1, 2], num: 1000000 })).toBe('l:\n  - 1\n  - 2\nnum: 1e+06');
  });
});

describe('parseYamlGo', () => {
  it('applies YAML 1.1 resolution and makes every number float64', () => {
    expect(parseYamlGo('a: yes\nb: 010\nc: "010"\nd: 2024-01-02\n1: x\n')).toEqual({ a: true, b: 8, c: '010', d: '2024-01-02', '1': 'x' });
  });
  it('reports malformed YAML the way sigs.k8s.io/yaml prefixes it', () => {
    expect(() => parseYamlGo('a: [1,\n')).toThrow(/^error converting YAML to JSON: yaml: /);
  });
  it('keeps a __proto__ key as data', () => {
    const v = parseYamlGo('__proto__: 1\n') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__']);
  });
});
