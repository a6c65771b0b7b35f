/** Value coalescing, subchart scoping, globals, conditions, tags, aliases and import-values (chartutil semantics). */
import { describe, expect, it } from 'vitest';
import type { GoMap } from '../template/values.js';
import { coalesceValues, mergeMaps, mergeValues, pathValue, table } from './coalesce.js';
import { renderChart } from './index.js';
import { chartFromFiles, chartYaml } from './test-charts.js';

const parentWithSub = (parentValues: string, subValues: string, deps = ''): ReturnType<typeof chartFromFiles> =>
  chartFromFiles({
    'Chart.yaml': chartYaml('parent', deps),
    'values.yaml': parentValues,
    'charts/sub/Chart.yaml': chartYaml('sub'),
    'charts/sub/values.yaml': subValues,
  });

describe('coalesceValues', () => {
  it.each<[string, string, string, GoMap, GoMap]>([
    ['user values win over defaults, maps merge', 'a: 1\nm: {x: 1, z: 2}', '', { m: { z: 3 } }, { a: 1, m: { x: 1, z: 3 }, sub: { global: {} } }],
    ['lists are replaced, not merged', 'l: [1, 2]', '', { l: [3] }, { l: [3], sub: { global: {} } }],
    ['null deletes a default', 'a: 1\nb: 2', '', { a: null }, { b: 2, sub: { global: {} } }],
    ['null deletes a nested default', 'm: {x: 1, z: 2}', '', { m: { x: null } }, { m: { z: 2 }, sub: { global: {} } }],
    ['parent values override subchart defaults', '', 'p: 1\nq: 2', { sub: { q: 3 } }, { sub: { p: 1, q: 3, global: {} } }],
    ['parent values.yaml overrides subchart defaults', 'sub: {q: 5}', 'p: 1\nq: 2', {}, { sub: { p: 1, q: 5, global: {} } }],
    ['null from the user deletes a subchart default', '', 'p: 1\nq: 2', { sub: { p: null } }, { sub: { q: 2, global: {} } }],
    ['globals are copied down, parent wins', 'global: {a: 1, m: {x: 1}}', 'global: {a: 2, b: 3, m: {z: 2}}', {}, { global: { a: 1, m: { x: 1 } }, sub: { global: { a: 1, b: 3, m: { x: 1, z: 2 } } } }],
    ['a scalar does not replace a table (warning only)', 'm: {x: 1}', '', { m: 'flat' }, { m: 'flat', sub: { global: {} } }],
  ])('%s', (_name, parentValues, subValues, user, want) => {
    expect(coalesceValues(parentWithSub(parentValues, subValues), user)).toEqual(want);
  });

  it('does not modify the chart or the user values', () => {
    const chart = parentWithSub('m: {x: 1}', 'p: 1');
    const user: GoMap = { m: { y: 2 } };
    coalesceValues(chart, user);
    expect(chart.values).toEqual({ m: { x: 1 } });
    expect(user).toEqual({ m: { y: 2 } });
  });

  it('mergeValues keeps nulls', () => {
    expect(mergeValues(parentWithSub('a: 1', ''), { a: null })).toEqual({ a: null, sub: { global: {} } });
  });

  it('mergeMaps layers -f files: nested maps merge, the rest is replaced', () => {
    expect(mergeMaps({ a: { x: 1, y: [1] }, b: 1 }, { a: { y: [2] }, c: 3 })).toEqual({ a: { x: 1, y: [2] }, b: 1, c: 3 });
  });

  it.each<[string, boolean, unknown]>([
    ['a.b', true, 1],
    ['a', false, undefined],
    ['a.c', false, undefined],
    ['x', true, 'y'],
  ])('pathValue %s', (p, found, value) => {
    const v = pathValue({ a: { b: 1 }, x: 'y' }, p);
    expect(v.found).toBe(found);
    if (v.found) expect(v.value).toBe(value);
  });

  it('table walks nested maps only', () => {
    expect(table({ a: { b: { c: 1 } } }, 'a.b')).toEqual({ c: 1 });
    expect(table({ a: { b: 1 } }, 'a.b')).toBeUndefined();
  });
});

function subValuesSeen(files: Record<string, string>, set: string[] = []): unknown {
  const chart = chartFromFiles({
    ...files,
    'templates/out.yaml': 'data: {{ toJson (omit .Values "global") }}\nsubs: {{ keys .Subcharts | sortAlpha | join "," }}',
  });
  const result = renderChart(chart, { releaseName: 'r', namespace: 'ns', set });
  return result.manifests.map((m) => `${m.source}: ${m.content}`);
}

const subTemplate = 'data: {{ toJson (omit .Values "global") }}\nname: {{ .Chart.Name }}';

describe('dependencies: conditions, tags, aliases, import-values', () => {
  const deps = (extra: string): Record<string, string> => ({
    'Chart.yaml': chartYaml('parent', `dependencies:\n${extra}`),
    'charts/sub/Chart.yaml': chartYaml('sub', '', '1.2.3'),
    'charts/sub/values.yaml': 'enabled: true\nport: 80\nexports:\n  shared:\n    level: 3\ndata:\n  a: 1\n',
    'charts/sub/templates/s.yaml': subTemplate,
  });

  it('renders an enabled subchart with its own values scope', () => {
    const out = subValuesSeen(deps('- name: sub\n  version: 1.x\n'));
    expect(out).toContain('parent/charts/sub/templates/s.yaml: data: {"data":{"a":1},"enabled":true,"exports":{"shared":{"level":3}},"port":80}\nname: sub');
  });

  it.each<[string, string, string[], boolean]>([
    ['condition false in values', '  condition: sub.enabled\n', ['sub.enabled=false'], false],
    ['condition true', '  condition: sub.enabled\n', [], true],
    ['first found condition wins', '  condition: nope.x,other.on,sub.enabled\n', ['other.on=false'], false],
    ['non-bool condition is ignored', '  condition: sub.port\n', [], true],
    ['tag false disables', '  tags: [back]\n', ['tags.back=false'], false],
    ['any true tag enables', '  tags: [back, front]\n', ['tags.back=false', 'tags.front=true'], true],
    ['condition beats tags', '  condition: sub.enabled\n  tags: [back]\n', ['tags.back=false'], true],
  ])('%s', (_name, extra, set, enabled) => {
    const out = subValuesSeen(deps(`- name: sub\n  version: 1.x\n${extra}`), set) as string[];
    expect(out.some((l) => l.startsWith('parent/charts/sub/'))).toBe(enabled);
  });

  it('an alias renames the subchart, its values key and its template paths', () => {
    const out = subValuesSeen(deps('- name: sub\n  version: 1.x\n  alias: db\n'), ['db.port=5432']) as string[];
    expect(out.find((l) => l.startsWith('parent/charts/db/templates/s.yaml'))).toContain('"port":5432');
    expect(out.find((l) => l.startsWith('parent/charts/db/templates/s.yaml'))).toContain('name: db');
    expect(out.find((l) => l.startsWith('parent/templates/out.yaml'))).toContain('subs: db');
  });

  it('the same subchart twice under two aliases', () => {
    const out = subValuesSeen(deps('- name: sub\n  version: 1.x\n  alias: one\n- name: sub\n  version: 1.x\n  alias: two\n'), ['two.port=2']) as string[];
    expect(out.filter((l) => l.includes('/charts/one/') || l.includes('/charts/two/'))).toHaveLength(2);
    expect(out.find((l) => l.startsWith('parent/charts/two/'))).toContain('"port":2');
    expect(out.find((l) => l.startsWith('parent/charts/one/'))).toContain('"port":80');
  });

  it('import-values: exports form and child/parent form; parent values win over imports', () => {
    const out = subValuesSeen({
      ...deps('- name: sub\n  version: 1.x\n  import-values:\n  - shared\n  - child: data\n    parent: imported\n'),
      'values.yaml': 'imported:\n  b: 2\nlevel: 9\n',
    }) as string[];
    const parent = out.find((l) => l.startsWith('parent/templates/out.yaml')) ?? '';
    expect(parent).toContain('"imported":{"a":1,"b":2}');
    expect(parent).toContain('"level":9');
  });

  it('import-values: imported keys appear when the parent does not set them', () => {
    const out = subValuesSeen(deps('- name: sub\n  version: 1.x\n  import-values:\n  - shared\n')) as string[];
    expect(out.find((l) => l.startsWith('parent/templates/out.yaml'))).toContain('"level":3');
  });

  it('a dependency missing from charts/ is an error', () => {
    const chart = chartFromFiles({ 'Chart.yaml': chartYaml('parent', 'dependencies:\n- name: absent\n  version: 1.0.0\n'), 'templates/a.yaml': 'a: 1' });
    expect(() => renderChart(chart, { releaseName: 'r', namespace: 'n' })).toThrow(/missing in charts\/ directory: absent/);
  });
});
