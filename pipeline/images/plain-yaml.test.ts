import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot, scsStacksDir } from '../testing/paths.js';
import { plainScalars } from './plain-yaml.js';
import { needFields, nodeImageBlock } from './stack-needs.js';

describe('plainScalars', () => {
  it.each([
    ['a: 1\nb:\n  c: x # comment\n  d: "q"\n', { a: '1', 'b.c': 'x', 'b.d': 'q' }],
    ['- kubernetes: 1.32.5\n  cilium: 1.17.4\n- kubernetes: 1.33.1\n', { '0.kubernetes': '1.32.5', '0.cilium': '1.17.4', '1.kubernetes': '1.33.1' }],
    ['config:\n  provider:\n    type: openstack\n    apiVersion: x/v1\n  kubernetesVersion: v1.32.5\n', { 'config.provider.type': 'openstack', 'config.provider.apiVersion': 'x/v1', 'config.kubernetesVersion': 'v1.32.5' }],
    ['list:\n  - a\n  - b\n', { 'list.0': 'a', 'list.1': 'b' }],
    ["k: 'single'\nurl: http://x/#frag\n", { k: 'single', url: 'http://x/#frag' }],
  ])('%j', (text, want) => {
    expect(Object.fromEntries(plainScalars(text) ?? [])).toEqual(want);
  });

  it.each(['a: {b: 1}', 'a: [1]', 'a: &x 1\nb: *x', 'a: |\n  x', '---\na: 1', 'a: "esc\\"q"', 'a:\tb', 'a: b: c', '? complex'])('is unsure about %j', (text) => {
    expect(plainScalars(text)).toBeUndefined();
  });
});

/** What the yaml package says, for the differential check. */
function viaYaml(dir: string): unknown {
  const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), 'utf8') : undefined);
  const csctl = parse(read('csctl.yaml') ?? '{}') as { config?: { provider?: { type?: string }; kubernetesVersion?: string } };
  const versions = read('versions.yaml') === undefined ? undefined : (parse(read('versions.yaml') ?? '') as { kubernetes?: unknown }[]);
  const stack = read('stack.yaml') === undefined ? undefined : (parse(read('stack.yaml') ?? '') as { nodeImage?: { recipe?: string; target?: string } });
  const k = Array.isArray(versions) ? versions.map((e) => String(e.kubernetes)) : csctl.config?.kubernetesVersion ? [csctl.config.kubernetesVersion] : [];
  return {
    provider: csctl.config?.provider?.type ?? '',
    kubernetes: [...new Set(k.map((v) => v.replace(/^v/, '')).filter((v) => /^\d+\.\d+\.\d+$/.test(v)))],
    ...(stack?.nodeImage?.recipe ? { recipe: stack.nodeImage.recipe } : {}),
    ...(stack?.nodeImage?.target ? { target: stack.nodeImage.target } : {}),
  };
}

function stackDirs(root: string): string[] {
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name === 'csctl.yaml').map((e) => e.parentPath);
}

describe('needFields agrees with the yaml package', () => {
  const dirs = [...stackDirs(path.join(repoRoot, 'stacks')), ...stackDirs(scsStacksDir)];
  it.each(dirs.map((d) => [path.relative(path.dirname(repoRoot), d), d]))('%s', (_, dir) => {
    const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), 'utf8') : undefined);
    const stack = read('stack.yaml');
    const got = needFields(read('csctl.yaml'), read('versions.yaml'), stack === undefined ? undefined : nodeImageBlock(stack).text);
    expect(JSON.parse(JSON.stringify(got))).toEqual(viaYaml(dir));
  });
});
