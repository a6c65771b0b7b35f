import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { replaceScalar } from './yaml-edit.js';

describe('replaceScalar', () => {
  it.each<[string, string, (string | number)[], string, string | undefined]>([
    ['plain value, comment kept', 'a: 1 # keep\nb: x\n', ['a'], '2', 'a: 2 # keep\nb: x\n'],
    ['double quotes kept', 'name: "old"\n', ['name'], 'new', 'name: "new"\n'],
    ['single quotes kept', "name: 'old'\n", ['name'], 'new', "name: 'new'\n"],
    ['inside a sequence', 'dependencies:\n  - name: a\n    version: 1.0.0\n', ['dependencies', 0, 'version'], '2.0.0', 'dependencies:\n  - name: a\n    version: 2.0.0\n'],
    ['nested map', 'config:\n  kubernetesVersion: v1.32.5\n  x: y\n', ['config', 'kubernetesVersion'], 'v1.31.9', 'config:\n  kubernetesVersion: v1.31.9\n  x: y\n'],
    ['same value: text untouched', 'a:   1\n', ['a'], '1', 'a:   1\n'],
    ['missing path', 'a: 1\n', ['b'], '2', undefined],
    ['not a scalar', 'a:\n  b: 1\n', ['a'], '2', undefined],
    ['broken YAML', 'a: [\n', ['a'], '2', undefined],
  ])('%s', (_name, text, at, value, expected) => {
    const out = replaceScalar(text, at, value);
    expect(out).toBe(expected);
    if (out !== undefined) {
      let node: unknown = parse(out);
      for (const key of at) node = (node as Record<string | number, unknown>)[key];
      expect(String(node)).toBe(value);
    }
  });
});
